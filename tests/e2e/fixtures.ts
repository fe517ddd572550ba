/**
 * Fixtures: log in through the real form as a demo member, staff or admin,
 * and check a page with axe (WCAG 2.2 AA; serious and critical fail).
 */
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page, type Browser } from "@playwright/test";

export const DEMO_PASSWORD = "rapport-demo";

export async function logIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form[id="login"] button[type="submit"]').click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** A logged-in page in its own browser context, for "a second device". */
export async function newSession(browser: Browser, email: string, locale = "en-US") {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  // The demo accounts are Vietnamese by default; tests read English.
  await context.addCookies([{ name: "rapport_lang", value: "en", url: process.env.E2E_BASE_URL ?? "http://localhost:3310" }]);
  await logIn(page, email);
  return { context, page };
}

export async function expectAccessible(page: Page, label = page.url()) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary ?? ""}`).join("\n")}`)
    .join("\n");
  expect(serious, `axe violations on ${label}:\n${report}`).toEqual([]);
}

/** Both themes: the dark palette must pass contrast too. */
export async function expectAccessibleInBothThemes(page: Page) {
  await expectAccessible(page, `${page.url()} (light)`);
  await page.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(page, `${page.url()} (dark)`);
  await page.emulateMedia({ colorScheme: "light" });
}

export const test = base.extend<{ english: void }>({
  english: [
    async ({ context, baseURL }, use) => {
      await context.addCookies([{ name: "rapport_lang", value: "en", url: baseURL! }]);
      await use();
    },
    { auto: true },
  ],
});

export { expect };

let counter = 0;
export function uniqueEmail(prefix: string) {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.test`;
}

/** The newest kept mail to an address, from /dev/mail, and the first link in it (mail leaves through the outbox, a moment after the request). */
export async function mailLink(page: Page, to: string) {
  const mail = page.getByRole("article").filter({ has: page.getByTestId("mail-to").getByText(to, { exact: true }) }).first();
  await expect(async () => {
    await page.goto("/dev/mail");
    await expect(mail).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  const href = await mail.getByRole("link").first().getAttribute("href");
  expect(href).toBeTruthy();
  return href!;
}
