import type { Page } from "@playwright/test";
import { test, expect, expectAccessibleInBothThemes, newSession, overflow, PHONE } from "./fixtures";
import { ACCOUNTS } from "./site-map";

/** The console bar's list (the box that would scroll) and the nav around it: content width against visible width. */
const consoleWidths = (page: Page) =>
  page.evaluate(() => {
    const nav = document.querySelector("nav.console-bar__inner")!;
    const list = nav.querySelector("ul")!;
    return { nav: { scroll: nav.scrollWidth, client: nav.clientWidth }, list: { scroll: list.scrollWidth, client: list.clientWidth }, rows: new Set([...list.children].map((li) => Math.round(li.getBoundingClientRect().top))).size };
  });

test("an admin's console bar fits one row on a 1366 px laptop, in English and Vietnamese, with nothing to scroll sideways", async ({ browser, baseURL }) => {
  const admin = await newSession(browser, ACCOUNTS.admin);
  const page = admin.page;
  await page.setViewportSize({ width: 1366, height: 800 });
  for (const lang of ["en", "vi"]) {
    await admin.context.addCookies([{ name: "rapport_lang", value: lang, url: baseURL! }]);
    await page.goto("/staff");
    const widths = await consoleWidths(page);
    expect(widths.rows, `${lang}: rows of console links`).toBe(1);
    expect(widths.list.scroll, `${lang}: the console links' width`).toBeLessThanOrEqual(widths.list.client);
    expect(widths.nav.scroll, `${lang}: the console bar's width`).toBeLessThanOrEqual(widths.nav.client);
  }
  await admin.context.close();
});

test("Outreach leads to segments, announcements and offers, and stays the current link in each of them", async ({ browser }) => {
  const staff = await newSession(browser, ACCOUNTS.staff);
  const page = staff.page;
  const consoleNav = page.getByRole("navigation", { name: "Staff console" });
  const outreach = consoleNav.getByRole("link", { name: "Outreach", exact: true });
  await page.goto("/staff");
  // One link for the three: they are no longer in the bar.
  for (const gone of ["Segments", "Announcements", "Offers"]) await expect(consoleNav.getByRole("link", { name: gone, exact: true })).toHaveCount(0);

  await outreach.click();
  await expect(page.getByRole("heading", { name: "Outreach", level: 1 })).toBeVisible();
  await expect(outreach).toHaveAttribute("aria-current", "page");
  for (const [card, figure] of [
    ["Segments", "Saved"],
    ["Announcements", "Sent"],
    ["Offers", "Valid today"],
  ] as const) {
    await expect(page.getByRole("region", { name: card }).getByRole("term").filter({ hasText: figure })).toBeVisible();
  }
  await expectAccessibleInBothThemes(page);

  for (const [open, heading] of [
    ["Open segments", "Segments"],
    ["Open announcements", "Announcements"],
    ["Open offers", "Offers"],
  ] as const) {
    await page.goto("/staff/outreach");
    await page.getByRole("link", { name: open }).click();
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await expect(outreach, `Outreach is current on ${heading}`).toHaveAttribute("aria-current", "page");
  }
  await page.goto("/staff/members");
  await expect(outreach).not.toHaveAttribute("aria-current", "page");

  await page.setViewportSize(PHONE);
  await page.goto("/staff/outreach");
  expect(await overflow(page), "the hub at 390 px").toBeNull();
  await staff.context.close();
});
