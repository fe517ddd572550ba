import { test, expect, expectAccessible, expectAccessibleInBothThemes } from "./fixtures";

test("a visitor's home shows the latest public threads, popular ideas and best-rated products, with ways to join", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Welcome to Rapport" })).toBeVisible();
  const latest = page.getByRole("region", { name: "Latest in the community" });
  await expect(latest.getByRole("link").first()).toBeVisible();
  // The staff lounge's recent thread is not shown to visitors.
  await expect(page.getByText(/Chat rota over Tết|canned reply for e-invoice/)).toHaveCount(0);
  const ideas = page.getByRole("region", { name: "Popular ideas" });
  await expect(ideas.getByRole("listitem").first()).toContainText(/\d+ votes?/);
  const products = page.getByRole("region", { name: "Best-rated products" });
  await expect(products.getByRole("heading", { level: 3 })).toHaveCount(4);
  await expect(products.getByRole("img", { name: /^Picture of / })).toHaveCount(4);
  const englishNames = await products.getByRole("heading", { level: 3 }).allTextContents();
  await expect(page.getByRole("link", { name: "Create your account" }).first()).toHaveAttribute("href", "/signup");
  await expectAccessibleInBothThemes(page);

  // In Vietnamese, the product names are the Vietnamese ones.
  await page.context().addCookies([{ name: "rapport_lang", value: "vi", url: page.url() }]);
  await page.goto("/");
  const sanPham = page.getByRole("region", { name: "Sản phẩm được đánh giá cao nhất" });
  await expect(sanPham.getByRole("img", { name: /^Hình ảnh / })).toHaveCount(4);
  const vietnameseNames = await sanPham.getByRole("heading", { level: 3 }).allTextContents();
  expect(vietnameseNames).toHaveLength(4);
  for (const name of englishNames) expect(vietnameseNames).not.toContain(name);
  await expect(page.getByRole("link", { name: "Tạo tài khoản" }).first()).toBeVisible();
  await expectAccessible(page);

  // On a phone nothing spills sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
});
