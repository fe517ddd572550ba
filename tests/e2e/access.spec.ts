import { test, expect, expectAccessible, logIn } from "./fixtures";

test("a member who opens the staff console gets a 403 page that explains", async ({ page }) => {
  await logIn(page, "member1@rapport.local");
  const response = await page.goto("/staff");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You can't open this page" })).toBeVisible();
  await expect(page.getByText("This page is for another role.")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Staff console" })).toHaveCount(0);
  await expectAccessible(page);
});

test("staff see their own members in the console; admins see everyone", async ({ page }) => {
  await logIn(page, "staff1@rapport.local");
  // Staff land on their work, and the console has a bar of its own on every page.
  await expect(page.getByRole("heading", { name: "Your work" })).toBeVisible();
  await page.getByRole("navigation", { name: "Staff console" }).getByRole("link", { name: "Members", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Account manager")).toHaveValue("mine");
  // member1, 4, 7 … 28 are staff1's (sign-ups in other tests may add more).
  expect(await page.getByRole("rowheader").count()).toBeGreaterThanOrEqual(10);
  await expectAccessible(page);
  await page.goto("/staff/members?q=member1%40");
  await expect(page.getByRole("rowheader").filter({ hasText: "member1@rapport.local" })).toBeVisible();
  // member3 is Trần Quốc Bảo's, whom nobody covers in the demo data.
  await page.goto("/staff/members?q=member3%40&manager=all");
  await expect(page.getByText("Members matching: 0")).toBeVisible();
  // Nor by guessing a member page's address.
  expect((await page.goto("/staff/members/not-one-of-mine"))?.status()).toBe(404);

  await page.getByRole("button", { name: "Log out" }).click();
  await logIn(page, "admin@rapport.local");
  await page.goto("/staff/members?q=member2%40");
  await expect(page.getByRole("rowheader").filter({ hasText: "member2@rapport.local" })).toBeVisible();
  await page.goto("/staff/members");
  expect(await page.getByRole("rowheader").count()).toBe(25);
});

test("an unknown address shows a helpful 404 page", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to the home page" })).toBeVisible();
  await expectAccessible(page);
});

test("a logged-out visitor asking for their profile is sent to log in, then back", async ({ page }) => {
  await page.goto("/profile/security");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fprofile%2Fsecurity/);
  await page.getByLabel("Email").fill("member3@rapport.local");
  await page.getByLabel("Password").fill("rapport-demo");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page).toHaveURL(/\/profile\/security$/);
});
