import { test, expect, expectAccessible, expectAccessibleInBothThemes, newSession } from "./fixtures";

test("a member types without diacritics into the header box, sees grouped results and opens one", async ({ browser }) => {
  const { page, context } = await newSession(browser, "member3@rapport.local");
  await page.goto("/community");
  const box = page.getByRole("combobox", { name: "Search" });
  await box.fill("quan ca phe da nang");
  const list = page.getByRole("listbox", { name: "Search suggestions" });
  await expect(list).toBeVisible();
  const threads = list.getByRole("group", { name: "Threads" });
  const hit = threads.getByRole("option", { name: /Quán cà phê yêu thích của bạn ở Đà Nẵng/ });
  await expect(hit).toBeVisible();
  // The matching syllables are marked, with their tones as written.
  await expect(hit.locator("mark").first()).toHaveText("Quán");
  await expectAccessibleInBothThemes(page);

  // Keyboard: down to the first suggestion, Escape closes, Enter opens.
  await box.press("ArrowDown");
  await expect(box).toHaveAttribute("aria-activedescendant", /.+/);
  await box.press("Escape");
  await expect(list).toBeHidden();
  await box.press("ArrowDown");
  await expect(list).toBeVisible();
  await box.press("Enter");
  await expect(page).toHaveURL(/\/community\/t\//);
  await expect(page.getByRole("heading", { level: 1, name: /Quán cà phê yêu thích của bạn ở Đà Nẵng/ })).toBeVisible();

  // Enter without a chosen suggestion opens the full results page, with filters.
  await box.fill("giao hang");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=giao\+hang/);
  await expect(page.getByRole("heading", { level: 2, name: /results for “giao hang”/ })).toBeVisible();
  await expect(page.locator(".search-result mark").first()).toBeVisible();
  await page.getByLabel("Kind").selectOption("idea");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/kind=idea/);
  await expect(page.locator(".search-result__kind").first()).toContainText("Ideas");
  await expectAccessible(page);
  await context.close();
});

test("a member never finds member records; an admin does, and opens the record", async ({ browser }) => {
  const member = await newSession(browser, "member4@rapport.local");
  await member.page.goto("/search?q=member1&kind=member");
  await expect(member.page.getByText(/Nothing matches/)).toBeVisible();
  await member.context.close();

  const admin = await newSession(browser, "admin@rapport.local");
  await admin.page.goto("/search?q=member1&kind=member");
  const result = admin.page.locator(".search-result").first();
  await expect(result).toContainText("Members");
  await result.getByRole("link").click();
  await expect(admin.page).toHaveURL(/\/staff\/members\/[^/]+$/);
  await admin.context.close();
});
