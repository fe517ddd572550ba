import { test, expect, expectAccessible, logIn, newSession, overflow, PHONE } from "./fixtures";

// The demo: member1 (Phạm Minh Châu) agreed to the newsletter, member2 (Emily Nguyen) did not;
// "Newsletter readers" is the seeded segment of those who agreed.
test("an admin writes a bilingual announcement, previews it as a member, sends it; a consenting member reads it in their language, one without consent gets nothing", async ({ page, browser }) => {
  await logIn(page, "admin@rapport.local");
  // Announcements sit behind the console's Outreach link.
  await page.getByRole("navigation", { name: "Staff console" }).getByRole("link", { name: "Outreach", exact: true }).click();
  await page.getByRole("link", { name: "Open announcements" }).click();
  await expect(page.getByRole("heading", { name: "Announcements", level: 1 })).toBeVisible();
  // The seeded ones: two sent, one scheduled, with their progress.
  await expect(page.getByRole("row").filter({ hasText: "Monthly news: the new coffee season" })).toContainText("Sent");
  await expect(page.getByRole("row").filter({ hasText: "An offer for our loyal members" })).toContainText("Scheduled");
  await expectAccessible(page);

  await page.getByRole("link", { name: "New announcement" }).click();
  await expect(page.getByRole("heading", { name: "New announcement", level: 1 })).toBeVisible();
  // Nothing written: a clear field error, the form kept.
  await page.getByLabel("Segment").selectOption({ label: "Newsletter readers" });
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Write the message in at least one language.")).toBeVisible();
  await expectAccessible(page);

  // Tabs once the page is live: only the chosen language's fields are shown.
  await page.getByRole("tab", { name: "Tiếng Việt" }).click();
  await page.getByRole("textbox", { name: "Title" }).fill("Tin vui cho bạn đọc");
  await page.getByRole("textbox", { name: "Message (markdown)" }).fill("Chào {{member.firstName}}, có tin vui từ {{manager.name}}.");
  await page.getByRole("tab", { name: "English" }).click();
  await page.getByRole("textbox", { name: "Title" }).fill("Good news for our readers");
  await page.getByRole("textbox", { name: "Message (markdown)" }).fill("Hello {{member.firstName}}, good news from {{manager.name}}.");
  await page.getByLabel("Segment").selectOption({ label: "Newsletter readers" });
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(page.getByText(/members? will receive it/)).toBeVisible();

  await page.getByLabel("Member (email or id)").fill("member1@rapport.local");
  await page.getByRole("button", { name: "Show preview" }).click();
  await expect(page.getByText("Chào Châu, có tin vui từ")).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Send now" }).click();
  await expect(page.getByText("It has started sending, so it can no longer be changed.")).toBeVisible();

  const reader = await newSession(browser, "member1@rapport.local");
  await expect(async () => {
    await reader.page.goto("/");
    await expect(reader.page.getByRole("link", { name: "Tin vui cho bạn đọc" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await reader.page.getByRole("link", { name: "Tin vui cho bạn đọc" }).click();
  await expect(reader.page.getByRole("heading", { name: "Tin vui cho bạn đọc", level: 1 })).toBeVisible();
  await expectAccessible(reader.page);
  await reader.page.goto("/announcements");
  await expect(reader.page.getByRole("link", { name: "Tin vui cho bạn đọc" })).toBeVisible();
  await reader.context.close();

  const other = await newSession(browser, "member2@rapport.local");
  await other.page.goto("/announcements");
  await expect(other.page.getByRole("link", { name: "Tin vui cho bạn đọc" })).toHaveCount(0);
  await other.context.close();
});

test("the announcement pages fit a 390 px phone", async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await context.addCookies([{ name: "rapport_lang", value: "en", url: process.env.E2E_BASE_URL ?? `http://localhost:${process.env.E2E_PORT ?? 3310}` }]);
  await logIn(page, "admin@rapport.local");
  for (const path of ["/staff/announcements", "/staff/announcements/new"]) {
    await page.goto(path);
    expect(await overflow(page), path).toBeNull();
  }
  await page.goto("/staff/announcements");
  await page.getByRole("link", { name: "Monthly news: the new coffee season" }).click();
  await expect(page.getByRole("heading", { name: "Report" })).toBeVisible();
  expect(await overflow(page), page.url()).toBeNull();
  await expectAccessible(page);
  await context.close();
});
