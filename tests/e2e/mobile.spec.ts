import { test, expect, expectAccessible, newSession } from "./fixtures";

test("on a phone the navigation folds behind Menu, the bell and search stay in sight, and the menu closes after a choice", async ({ browser }) => {
  const member = await newSession(browser, "member9@rapport.local");
  await member.page.setViewportSize({ width: 390, height: 800 });
  const page = member.page;
  const menu = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await expect(page.getByRole("link", { name: /^Notifications, \d+ unread$/ })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Search" })).toBeVisible();
  await expectAccessible(page);

  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  await expectAccessible(page);
  await nav.getByRole("link", { name: "Ideas" }).click();
  await expect(page).toHaveURL(/\/ideas$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await member.context.close();
});
