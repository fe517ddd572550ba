import type { Page } from "@playwright/test";
import { test, expect, logIn } from "./fixtures";
import { ACCOUNTS, pagesFor, type Role } from "./site-map";

const PHONE = { width: 390, height: 844 };

/**
 * When the page is wider than the screen: how wide, and the element that
 * reaches furthest right (the innermost one, which is usually the culprit).
 * Content inside a scrolling or clipping box (a wide table in its wrapper)
 * does not widen the page and is not reported.
 */
function overflow(page: Page) {
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

const ROLES: Role[] = ["anonymous", "member", "moderator", "staff", "admin"];

for (const role of ROLES) {
  test(`on a 390 px phone, no page a${role === "anonymous" || role === "admin" ? "n" : ""} ${role} opens is wider than the screen, in English or Vietnamese`, async ({ browser, baseURL }) => {
    // One context per role for every page; the walk is long, but each page is one load.
    test.setTimeout(150_000);
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    if (role !== "anonymous") await logIn(page, ACCOUNTS[role]);
    const paths = await pagesFor(role, page);
    const wide: string[] = [];
    for (const lang of ["en", "vi"]) {
      await context.addCookies([{ name: "rapport_lang", value: lang, url: baseURL! }]);
      for (const path of paths) {
        const response = await page.goto(path);
        expect(response?.status(), `${path} as ${role}`).toBe(path === "/no/such/page" ? 404 : 200);
        // Measured once hydrated (the Menu button is drawn then), in the layout a phone user gets.
        await page.locator(".menu-toggle").waitFor({ state: "attached" });
        const problem = await overflow(page);
        if (problem) wide.push(`${lang} ${path}: ${problem}`);
      }
    }
    expect(wide, `pages wider than ${PHONE.width}px as ${role}:\n${wide.join("\n")}`).toEqual([]);
    await context.close();
  });
}

test("on a phone the chat is a button beside the bell, not one floating over the page, and the chat page keeps its manager card short and its composer's hint whole", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ viewport: PHONE });
  await context.addCookies([{ name: "rapport_lang", value: "en", url: baseURL! }]);
  const page = await context.newPage();
  await logIn(page, ACCOUNTS.member);
  await page.goto("/community");
  const banner = page.getByRole("banner");
  await expect(banner.getByRole("link", { name: /^Chat with your account manager/ })).toBeVisible();
  await expect(page.locator(".launcher")).toBeHidden();

  await banner.getByRole("link", { name: /^Chat with your account manager/ }).click();
  await expect(page).toHaveURL(/\/chat$/);
  const card = await page.locator(".chat-manager").boundingBox();
  expect(card!.height, "the manager card's height").toBeLessThan(PHONE.height / 3);
  // The placeholder laid out at the composer's width, in its font, fits the box it is shown in.
  const composer = page.getByRole("textbox", { name: "Your message" });
  const fits = await composer.evaluate((box: HTMLTextAreaElement) => {
    const style = getComputedStyle(box);
    const probe = document.createElement("div");
    probe.textContent = box.placeholder;
    Object.assign(probe.style, { position: "absolute", visibility: "hidden", width: `${box.clientWidth}px`, font: style.font, padding: style.padding, lineHeight: style.lineHeight, whiteSpace: "pre-wrap" });
    document.body.append(probe);
    const needed = probe.offsetHeight;
    probe.remove();
    return { needed, shown: box.clientHeight };
  });
  expect(fits.needed, "the composer's hint fits its box").toBeLessThanOrEqual(fits.shown);
  await context.close();
});
