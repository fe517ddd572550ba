import { test, expect, logIn, newSession } from "./fixtures";
import { ACCOUNTS, type Role } from "./site-map";

test("on a laptop, a member's record gives the relationship history the wide column, with tasks, stage and preferences beside it", async ({ browser }) => {
  const staff = await newSession(browser, ACCOUNTS.staff);
  const page = staff.page;
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto("/staff/members");
  await page.getByRole("rowheader").getByRole("link").first().click();
  const history = page.getByRole("region", { name: "Relationship history" });
  await expect(history).toBeVisible();
  const wide = (await history.boundingBox())!;
  expect(wide.width, "the history's width").toBeGreaterThanOrEqual(600);
  const tasks = (await page.getByRole("heading", { name: "Follow-up tasks" }).boundingBox())!;
  expect(tasks.x, "tasks sit to the right of the history").toBeGreaterThan(wide.x + wide.width);
  await staff.context.close();
});

const HEADER_ROLES: { role: Role; pages: string[] }[] = [
  { role: "anonymous", pages: ["/", "/community", "/ideas", "/products", "/login"] },
  { role: "member", pages: ["/", "/community", "/ideas", "/products", "/profile"] },
  { role: "admin", pages: ["/", "/community", "/profile", "/staff", "/staff/audit"] },
];

for (const { role, pages } of HEADER_ROLES) {
  test(`the header looks the same on every page for a${role === "member" ? "" : "n"} ${role}, on a laptop in one row, at 1366, 1024 and 390 px, in English and Vietnamese`, async ({ browser, baseURL }) => {
    test.setTimeout(90_000);
    const context = await browser.newContext();
    const page = await context.newPage();
    if (role !== "anonymous") await logIn(page, ACCOUNTS[role]);
    for (const lang of ["en", "vi"]) {
      await context.addCookies([{ name: "rapport_lang", value: lang, url: baseURL! }]);
      for (const width of [1366, 1024, 390]) {
        await page.setViewportSize({ width, height: 800 });
        const seen = new Map<string, string>();
        for (const path of pages) {
          await page.goto(path);
          await page.locator(".menu-toggle").waitFor({ state: "attached" });
          const size = await page.evaluate(() => {
            const height = (selector: string) => Math.round(document.querySelector(selector)?.getBoundingClientRect().height ?? 0);
            return { header: height(".site-header"), row: height(".site-header__inner"), console: height(".console-bar"), brand: height(".brand") };
          });
          seen.set(path, `${size.header}px`);
          if (width > 1000) {
            // One row: nothing wraps below the brand (the row is the brand's height plus its padding).
            expect(size.row, `${lang} ${width}px ${path}: the header's row`).toBeLessThan(size.brand * 2);
            if (role === "admin") expect(size.console, `${lang} ${width}px ${path}: the console bar`).toBeLessThan(48);
          }
        }
        expect(new Set(seen.values()).size, `${lang} ${width}px header heights: ${JSON.stringify(Object.fromEntries(seen))}`).toBe(1);
      }
    }
    await context.close();
  });
}

test("on a laptop, an admin's dropdowns read in the page's font, inbox previews stay in their card, and the dashboard's product names each keep one line beside the bars", async ({ browser }) => {
  const admin = await newSession(browser, ACCOUNTS.admin);
  const page = admin.page;
  await page.setViewportSize({ width: 1366, height: 800 });
  for (const path of ["/staff/team", "/staff/assignments"]) {
    await page.goto(path);
    const sizes = await page.locator("main select").evaluateAll((selects) => selects.map((s) => getComputedStyle(s).fontSize));
    expect(sizes.length, `selects on ${path}`).toBeGreaterThan(0);
    expect(new Set(sizes), `select font sizes on ${path}`).toEqual(new Set([await page.evaluate(() => getComputedStyle(document.body).fontSize)]));
  }

  await page.goto("/staff/inbox?status=all");
  const list = (await page.getByRole("navigation", { name: "Inbox" }).boundingBox())!;
  const previews = await page.locator(".inbox__preview").evaluateAll((spans) => spans.map((s) => s.getBoundingClientRect().right));
  expect(previews.length).toBeGreaterThan(0);
  for (const right of previews) expect(right, "a preview's right edge").toBeLessThanOrEqual(list.x + list.width);

  await page.goto("/staff");
  const chart = page.locator('[data-figure="ratings"]');
  await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
  const barsStart = Math.min(...(await chart.locator(".recharts-bar-rectangle").evaluateAll((bars) => bars.map((b) => b.getBoundingClientRect().left))));
  const labels = await chart.locator(".recharts-yAxis-tick-labels text").evaluateAll((texts) => texts.map((t) => ({ name: t.textContent, box: t.getBoundingClientRect() })));
  expect(labels.length).toBeGreaterThan(3);
  for (const { name, box } of labels) {
    expect(box.height, `"${name}" on one line`).toBeLessThan(20);
    expect(box.right, `"${name}" left of the bars`).toBeLessThanOrEqual(barsStart);
  }
  await admin.context.close();
});
