/**
 * Bad input against the built app, signed in as the admin (who may open every page): every route
 * refuses a NUL character with a 400 that says why, before any loader or action could end in a 500.
 */
import { routeUrls } from "../support/route-urls.ts";
import { expect, logIn, test } from "./fixtures.ts";

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
