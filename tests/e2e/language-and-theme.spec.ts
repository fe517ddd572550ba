import { test, expect, expectAccessibleInBothThemes, logIn } from "./fixtures";

test.use({ locale: "en-US" });

test("the language follows the browser, switches on request, and is remembered for the account", async ({ page, context, baseURL }) => {
  await context.clearCookies();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("link", { name: "Community" })).toBeVisible();

  await page.getByRole("button", { name: "Tiếng Việt" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await expect(page.getByRole("link", { name: "Cộng đồng" })).toBeVisible();

  // Logged in, the choice is stored on the account and follows it to a new browser.
  await page.goto("/login");
  await page.locator('input[name="email"]').fill("member7@rapport.local");
  await page.locator('input[name="password"]').fill("rapport-demo");
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  const other = await page.context().browser()!.newContext({ locale: "vi-VN" });
  const otherPage = await other.newPage();
  await otherPage.goto(`${baseURL}/login`);
  await logIn(otherPage, "member7@rapport.local");
  await expect(otherPage.locator("html")).toHaveAttribute("lang", "en");
  await other.close();
});

test("light and dark themes both pass accessibility checks", async ({ page }) => {
  await page.goto("/");
  await expectAccessibleInBothThemes(page);
  await page.getByRole("button", { name: "Change theme" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await logIn(page, "member8@rapport.local");
  await page.goto("/profile");
  await expectAccessibleInBothThemes(page);
});
