import { test, expect, logIn, overflow, PHONE } from "./fixtures";
import { ACCOUNTS, pagesFor, type Role } from "./site-map";

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
