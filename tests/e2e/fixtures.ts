/**
 * Fixtures: log in through the real form as a demo member, staff or admin,
 * and check a page with axe (WCAG 2.2 AA; serious and critical fail).
 */
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page, type Browser, type WebSocket } from "@playwright/test";

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

/**
 * Opens `path` and waits until the socket that page opens is in its user's room (the server sends
 * the bell's count last on every new connection), so that what the server announces next reaches it.
 */
export async function gotoLive(page: Page, path: string) {
  const counted = new Promise<void>((resolve) => {
    const opened = (socket: WebSocket) => {
      // A socket the previous page opened on its way out is not this page's.
      if (new URL(page.url()).pathname !== path) return;
      page.off("websocket", opened);
      // Listening at once: the frames may arrive before the navigation is done.
      socket.on("framereceived", ({ payload }) => void (String(payload).includes('"notification:count"') && resolve()));
    };
    page.on("websocket", opened);
  });
  await page.goto(path);
  await counted;
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

export const PHONE = { width: 390, height: 844 };

/**
 * When the page is wider than the screen: how wide, and the element that
 * reaches furthest right (the innermost one, which is usually the culprit).
 * Content inside a scrolling or clipping box (a wide table in its wrapper)
 * does not widen the page and is not reported.
 */
export function overflow(page: Page) {
  return page.evaluate(() => {
    const limit = window.innerWidth;
    const width = document.documentElement.scrollWidth;
    if (width <= limit) return null;
    // Whether a scrolling or clipping box holds the element: its own containing blocks, so
    // a positioned element escapes a box that is not positioned, as it does on screen.
    const clipped = (el: Element) => {
      let position = getComputedStyle(el).position;
      if (position === "fixed") return true;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (position === "absolute" && style.position === "static" && style.transform === "none") continue;
        if (style.overflowX !== "visible") return true;
        position = style.position;
      }
      return false;
    };
    let culprit = null as Element | null;
    let right = limit + 0.5;
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || clipped(el)) continue;
      if (r.right > right + 0.5 || (culprit?.contains(el) && r.right > right - 0.5)) {
        culprit = el;
        right = Math.max(right, r.right);
      }
    }
    const describe = (el: Element) =>
      el.tagName.toLowerCase() +
      (el.id ? `#${el.id}` : "") +
      [...el.classList].map((c) => `.${c}`).join("") +
      (el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : "");
    const text = culprit?.textContent?.trim().replace(/\s+/g, " ").slice(0, 40);
    const parent = culprit?.parentElement ? describe(culprit.parentElement) + " > " : "";
    return `${width}px wide; widest: ${culprit ? `${parent}${describe(culprit)} (right edge ${Math.round(right)}px${text ? `, "${text}"` : ""})` : "none found"}`;
  });
}

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

/** The live count the segment editor shows once it has settled, as a number. */
export async function segmentLiveCount(page: Page) {
  const status = page.locator(".segment-preview__count");
  await expect(status).toHaveAttribute("aria-busy", "false");
  await expect(status).toHaveText(/^(No members match|[\d,]+ members? match(es)?)$/);
  const text = (await status.textContent()) ?? "";
  return text.startsWith("No") ? 0 : Number(text.replace(/[^\d]/g, ""));
}
