import path from "node:path";
import { readFile } from "node:fs/promises";
import { test, expect, expectAccessible, logIn, newSession, overflow, PHONE } from "./fixtures";

const files = path.join(import.meta.dirname, "files");

test("a member edits their profile, uploads a photo and sees it in their activity", async ({ page }) => {
  await logIn(page, "member9@rapport.local");
  await page.goto("/profile");
  await expectAccessible(page);

  await page.getByLabel("Company").fill("Công ty Thử Nghiệm");
  await page.getByLabel("Phone").fill("not a phone");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Enter a phone number with digits")).toBeVisible();
  await page.getByLabel("Phone").fill("+84 912 345 678");
  await page.getByLabel("Best hours to reach you").fill("Sáng thứ 7");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Your profile was saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Company")).toHaveValue("Công ty Thử Nghiệm");

  await page.getByLabel("Choose a photo").setInputFiles(path.join(files, "not-allowed.gif"));
  await page.getByRole("button", { name: "Upload photo" }).click();
  await expect(page.getByText("Only PNG, JPEG or WebP images are accepted.")).toBeVisible();

  await page.getByLabel("Choose a photo").setInputFiles(path.join(files, "avatar.png"));
  await page.getByRole("button", { name: "Upload photo" }).click();
  await expect(page.getByText("Your photo was updated.")).toBeVisible();
  const photo = page.getByRole("img", { name: /Profile photo of/ });
  await expect(photo).toBeVisible();
  const src = await photo.getAttribute("src");
  expect(src).toMatch(/^\/uploads\/avatars\/.+\.webp$/);
  const image = await page.request.get(src!);
  expect(image.headers()["content-type"]).toBe("image/webp");

  await page.getByRole("link", { name: "My activity" }).click();
  await expect(page.getByText("Changed the profile photo")).toBeVisible();
  await expect(page.getByText("Updated the profile (Company, Phone, Best hours to reach you)")).toBeVisible();
  await expectAccessible(page);
});

test("a member corrects what we remember, including what their manager noted, with history kept", async ({ page }) => {
  await logIn(page, "member18@rapport.local");
  await page.goto("/profile/remember");
  await expectAccessible(page);
  // member18's manager noted the invoicing schedule and a note in the demo data.
  const schedule = page.getByRole("listitem").filter({ hasText: "Invoicing schedule" });
  await expect(schedule.getByText("Noted by your account manager")).toBeVisible();
  await schedule.getByLabel("Invoicing schedule", { exact: true }).selectOption("quarterly");
  await schedule.getByRole("button", { name: "Change Invoicing schedule" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Invoicing schedule" }).getByText("Set by you")).toBeVisible();

  await page.getByLabel("What", { exact: true }).selectOption("shoe_size");
  await page.getByLabel("Value", { exact: true }).fill("42");
  await page.getByRole("button", { name: "Add a preference" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: "Shoe size" })).toBeVisible();

  await page.getByRole("button", { name: "Delete Notes" }).click();
  await expect(page.getByText("Deleted.")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Notes" })).toHaveCount(0);

  await page.getByText("History of changes").click();
  await expect(page.getByText(/Notes removed/)).toBeVisible();
  await expect(page.getByText(/Invoicing schedule changed: Quarterly/)).toBeVisible();
});

test("a member changes consent, downloads their data and finally deletes the account", async ({ page, browser }) => {
  const { context, page: member } = await newSession(browser, "member11@rapport.local");
  await member.goto("/profile/privacy");
  await expectAccessible(member);
  await member.getByLabel(/Surveys and research/).check();
  await member.getByLabel(/Newsletter/).uncheck();
  await member.getByRole("button", { name: "Save choices" }).click();
  await expect(member.getByText("Your choices were saved.")).toBeVisible();
  await member.getByText("History", { exact: true }).click();
  await expect(member.getByText(/Surveys and research: agreed/)).toBeVisible();

  const download = member.waitForEvent("download");
  await member.getByRole("link", { name: "Download my data" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^rapport-data-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(await readFile(await file.path(), "utf8"));
  expect(exported.profile.email).toBe("member11@rapport.local");
  expect(exported.consents.some((c: { channel: string; granted: boolean }) => c.channel === "surveys" && c.granted)).toBe(true);
  expect(exported.touchpoints.length).toBeGreaterThan(3);

  await member.getByLabel("Enter your password to confirm").fill("wrong password");
  await member.getByRole("button", { name: "Delete my account" }).click();
  await expect(member.getByText("The current password is not right.")).toBeVisible();
  await member.getByLabel("Enter your password to confirm").fill("rapport-demo");
  await member.getByRole("button", { name: "Delete my account" }).click();
  await expect(member.getByText("Your account was deleted.")).toBeVisible();
  await context.close();

  await page.goto("/login");
  await page.getByLabel("Email").fill("member11@rapport.local");
  await page.getByLabel("Password").fill("rapport-demo");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByText("The email or password is not right.")).toBeVisible();
});

test("a note from the account manager reaches the member's bell live, in another browser", async ({ browser }) => {
  const member = await newSession(browser, "member13@rapport.local");
  await member.page.goto("/");
  const bell = member.page.getByRole("link", { name: /Notifications, \d+ unread/ });
  // The demo data may already have told them something (an idea they voted for moved on).
  const before = Number(/(\d+) unread/.exec((await bell.getAttribute("aria-label")) ?? "")?.[1] ?? "0");

  const staff = await newSession(browser, "staff1@rapport.local");
  await staff.page.goto("/staff/members?q=member13%40");
  await staff.page.getByRole("link", { name: "Huỳnh Gia Hân" }).click();
  await expectAccessible(staff.page);
  await staff.page.getByLabel("What", { exact: true }).selectOption("packaging");
  await staff.page.getByLabel("Value", { exact: true }).selectOption("gift");
  await staff.page.getByRole("button", { name: "Add a preference" }).click();
  await expect(staff.page.getByText("Saved.")).toBeVisible();

  // No reload: the count arrives over socket.io.
  await expect(bell).toHaveAccessibleName(`Notifications, ${before + 1} unread`, { timeout: 10_000 });
  await bell.click();
  await expect(member.page.getByRole("link", { name: "Your account manager noted a preference: Packaging" })).toBeVisible();
  await expectAccessible(member.page);
  await member.page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(member.page.getByRole("link", { name: "Notifications, 0 unread" })).toBeVisible();

  await member.context.close();
  await staff.context.close();
});

test("a member chooses when we may email them, with errors for no day or an end before the start, on a 390 px phone", async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await context.addCookies([{ name: "rapport_lang", value: "en", url: process.env.E2E_BASE_URL ?? `http://localhost:${process.env.E2E_PORT ?? 3310}` }]);
  await logIn(page, "member17@rapport.local");
  await page.goto("/profile");
  const hours = page.getByRole("region", { name: "When we may email you" });
  await expect(hours.getByLabel("At any time")).toBeChecked();

  await hours.getByLabel("Only at these hours").check();
  for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]) await hours.getByLabel(day).uncheck();
  await hours.getByLabel("From", { exact: true }).fill("20:00");
  await hours.getByLabel("Until", { exact: true }).fill("08:00");
  await hours.getByRole("button", { name: "Save email hours" }).click();
  await expect(hours.getByText("Choose at least one day.")).toBeVisible();
  await expect(hours.getByText("The end must be later than the start, on the same day.")).toBeVisible();
  await expect(hours.getByLabel("Until", { exact: true })).toHaveAttribute("aria-invalid", "true");
  expect(await overflow(page), "/profile").toBeNull();
  await expectAccessible(page);

  await hours.getByLabel("Saturday").check();
  await hours.getByLabel("From", { exact: true }).fill("09:00");
  await hours.getByLabel("Until", { exact: true }).fill("12:00");
  await hours.getByRole("button", { name: "Save email hours" }).click();
  await expect(hours.getByText("Your email hours were saved.")).toBeVisible();
  await page.reload();
  await expect(hours.getByLabel("Only at these hours")).toBeChecked();
  await expect(hours.getByLabel("Saturday")).toBeChecked();
  await expect(hours.getByLabel("Monday")).not.toBeChecked();
  await expect(hours.getByLabel("From", { exact: true })).toHaveValue("09:00");
  await context.close();

  // Staff see a member's email hours where the remembered preferences are, with who set them.
  const admin = await newSession(browser, "admin@rapport.local");
  await admin.page.goto("/staff/members?q=member1%40");
  await admin.page.getByRole("link", { name: "Phạm Minh Châu" }).click();
  const remember = admin.page.locator("#remember");
  await expect(remember.getByText("Mon–Fri, 08:00–20:00 (Asia/Ho_Chi_Minh)")).toBeVisible();
  await expect(remember.getByText("Set by the member").first()).toBeVisible();
  await admin.context.close();
});
