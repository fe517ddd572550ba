/**
 * Bad input against the built app, signed in as the admin (who may open every page): every route
 * refuses a NUL character with a 400 that says why, before any loader or action could end in a 500.
 */
import type { Page } from "@playwright/test";
import { routeUrls } from "../support/route-urls.ts";
import { expect, expectAccessible, logIn, test } from "./fixtures.ts";

test("every route answers a NUL character in its path, query or form with a 400 that says why, and the site works on", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  await logIn(page, "admin@rapport.local");
  const headers = { origin: baseURL!, "accept-language": "en" };
  const clean = routeUrls("x");
  const withNul = routeUrls("a%00b");
  for (const [index, route] of clean.entries()) {
    const attempts = [
      { what: `GET ${route.url}?q=`, send: () => page.request.get(`${route.url}?q=a%00b`, { headers, maxRedirects: 0 }) },
      { what: `POST ${route.url} (form)`, send: () => page.request.post(route.url, { headers, form: { body: "a\u0000b", intent: "save" }, maxRedirects: 0 }) },
      { what: `POST ${route.url} (multipart)`, send: () => page.request.post(route.url, { headers, multipart: { bio: "a\u0000b" }, maxRedirects: 0 }) },
      ...(route.dynamic ? [{ what: `GET ${withNul[index]!.url}`, send: () => page.request.get(withNul[index]!.url, { headers, maxRedirects: 0 }) }] : []),
    ];
    for (const { what, send } of attempts) {
      const response = await send();
      expect(response.status(), what).toBe(400);
      expect(await response.text(), what).toContain("NUL character (U+0000)");
    }
  }
  await page.goto("/community");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("a form reached at 127.0.0.1 from a page at localhost is answered, not a 500; a multipart type over a urlencoded body is a 400", async ({ page, baseURL }) => {
  const direct = baseURL!.replace("localhost", "127.0.0.1");
  const login = await page.request.post(`${direct}/login`, {
    headers: { origin: baseURL! },
    form: { email: "member1@rapport.local", password: "not the password" },
    maxRedirects: 0,
  });
  expect(login.status()).toBeLessThan(500);
  expect(login.status()).not.toBe(403);
  const mismatched = await page.request.post("/login", {
    headers: { origin: baseURL!, "content-type": "multipart/form-data; boundary=----x", "accept-language": "en" },
    data: "email=member1%40rapport.local&password=x",
    maxRedirects: 0,
  });
  expect(mismatched.status()).toBe(400);
  expect(await mismatched.text()).toContain("does not match its Content-Type");
});

/** The new-reply form on the canned replies page, signed in as `email`, with a title and text typed. */
async function newCannedReply(page: Page, email: string, title: string, text: string) {
  await logIn(page, email);
  await page.goto("/staff/canned-replies");
  const form = page.getByRole("region", { name: "New canned reply" });
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Text").fill(text);
  return form;
}

test("a staff member whose page still offers to share a canned reply (opened before a demotion) is told beside that form that only an admin shares them", async ({ page }) => {
  const form = await newCannedReply(page, "staff1@rapport.local", "Cho mọi người", "Chào {{member.firstName}}");
  // Staff are not offered the box; an admin's page opened before their demotion still has it.
  await form.locator("form").evaluate((element) => {
    const box = document.createElement("input");
    Object.assign(box, { type: "checkbox", name: "shared", checked: true, hidden: true });
    element.append(box);
  });
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert")).toHaveText("Only an admin changes shared canned replies.");
  await expect(form.getByLabel("Title")).toHaveValue("Cho mọi người");
  await expectAccessible(page);
});

test("a canned reply's form empties after a save and keeps what was typed when refused", async ({ page }) => {
  const form = await newCannedReply(page, "staff2@rapport.local", "Hẹn gọi lại", "Chào {{member.nickname}}");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("Unknown variable")).toBeVisible();
  await expect(form.getByLabel("Title")).toHaveValue("Hẹn gọi lại");
  await form.getByLabel("Text").fill("Chào {{member.firstName}}, em sẽ gọi lại chiều nay.");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(form.getByLabel("Title")).toHaveValue("");
});
