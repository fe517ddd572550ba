/**
 * Every page of the app, by who can open it, with real ids from the demo
 * data: the layout checks walk this list. A route of app/routes that is not
 * here is left out on purpose:
 *  - resource routes, which answer data rather than a page: api.markdown-preview,
 *    api.mentions, api.search, ideas.similar, profile.export (JSON),
 *    staff.members[.csv] (CSV), staff.segments.preview (the editor's live count), uploads.$ (images);
 *  - actions whose GET only redirects: logout, preferences, announcements.go (a signed link's redirect);
 *  - layouts, drawn with each of their children: profile, staff.inbox;
 *  - pages a role cannot open (an anonymous /profile redirects to /login, which is here).
 */
import { expect, type Page } from "@playwright/test";

export type Role = "anonymous" | "member" | "moderator" | "staff" | "admin";

/** Demo accounts no other spec writes with, so walking their pages races nothing. member5 is the demo's only moderator. */
export const ACCOUNTS: Record<Exclude<Role, "anonymous">, string> = {
  member: "member12@rapport.local",
  moderator: "member5@rapport.local",
  staff: "staff2@rapport.local",
  admin: "admin@rapport.local",
};

const PUBLIC = [
  "/",
  "/community",
  "/community/c/general",
  "/community/t/demo-long-thread",
  "/community/u/taquanghuy",
  "/ideas",
  "/ideas?sort=top",
  "/ideas/roadmap",
  "idea",
  "/products",
  "/products/leu-hai-nguoi",
  "/search?q=c%C3%A0%20ph%C3%AA",
  "/goodbye",
  "/no/such/page",
  // The states a mailed link lands on when its token is no good.
  "/reset-password?token=stale",
  "/verify-email?token=stale",
  "/unsubscribe?token=stale",
  "/announcements/unsubscribe?token=stale",
];
const ANONYMOUS = ["/login", "/signup", "/forgot-password"];
const SIGNED_IN = [
  "/community/new",
  "/ideas/new",
  "/notifications",
  "/announcements",
  "/profile",
  "/profile/activity",
  "/profile/products",
  "/profile/offers",
  "/profile/privacy",
  "/profile/remember",
  "/profile/security",
];
const MODERATION = ["/staff/moderation", "/staff/review-reports"];
const CONSOLE = [
  "/community/c/staff-lounge",
  "/staff",
  "/staff/members",
  "member",
  "member-timeline",
  "/staff/outreach",
  "/staff/segments",
  "/staff/segments/new",
  "/staff/inbox",
  "conversation",
  "/staff/tasks",
  "/staff/products",
  "product",
  "/staff/canned-replies",
  "/staff/offers",
  "/staff/offers/new",
  "offer",
  "/staff/announcements",
  "/staff/announcements/new",
  "announcement",
];
const ADMIN = ["/staff/assignments", "/staff/team", "/staff/categories", "/staff/system", "/staff/audit", "/dev/mail"];

const PAGES: Record<Role, string[]> = {
  anonymous: [...PUBLIC, ...ANONYMOUS],
  member: [...PUBLIC, ...SIGNED_IN, "/chat"],
  moderator: [...PUBLIC, ...SIGNED_IN, "/chat", ...MODERATION],
  staff: [...PUBLIC, ...SIGNED_IN, ...MODERATION, ...CONSOLE],
  admin: [...PUBLIC, ...SIGNED_IN, ...MODERATION, ...CONSOLE, ...ADMIN],
};

/** The first link on a list page whose address matches, so the ids are whatever the demo seeded. */
async function firstLink(page: Page, list: string, pattern: RegExp) {
  await page.goto(list);
  const hrefs = await page.locator("main a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  const href = hrefs.find((h) => pattern.test(h));
  expect(href, `a link matching ${pattern} on ${list}`).toBeTruthy();
  return href!;
}

/** The addresses a role can open, with the placeholders above resolved through the role's own lists. */
export async function pagesFor(role: Role, page: Page) {
  const resolved: string[] = [];
  let member = "";
  for (const entry of PAGES[role]) {
    if (entry.startsWith("/")) resolved.push(entry);
    else if (entry === "idea") resolved.push(await firstLink(page, "/ideas", /^\/ideas\/(?!new$|roadmap$)[^/?#]+$/));
    else if (entry === "member") resolved.push((member = await firstLink(page, "/staff/members", /^\/staff\/members\/[^/?#.]+$/)));
    else if (entry === "member-timeline") resolved.push(`${member}/timeline`);
    else if (entry === "conversation") resolved.push(await firstLink(page, "/staff/inbox?status=all", /^\/staff\/inbox\/[^/?#]+$/));
    else if (entry === "offer") resolved.push(await firstLink(page, "/staff/offers", /^\/staff\/offers\/(?!new$)[^/?#]+$/));
    else if (entry === "announcement") resolved.push(await firstLink(page, "/staff/announcements", /^\/staff\/announcements\/(?!new$)[^/?#]+$/));
    else if (entry === "product") resolved.push(await firstLink(page, "/staff/products", /^\/staff\/products\/[^/?#]+$/));
  }
  return resolved;
}
