/**
 * RFC 8058 one-click unsubscribe, over real HTTP: the real server (Express with its Origin check
 * and input guard, then the app's own Remix routes) sends an announcement to a real mail server;
 * the address in that mail's List-Unsubscribe header is then used as a mail client uses it: a
 * POST of `List-Unsubscribe=One-Click`, with no cookie and no Origin. A GET (what a link scanner
 * sends) only asks; a forged or altered token changes nothing.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ParsedMail } from "mailparser";
import { startTestServer, type TestServer } from "../../support/server.ts";
import { remixDevRoutes, type RemixDev } from "../../support/remix-dev.ts";
import { testSmtp, type TestSmtp } from "../../support/smtp.ts";
import { freeLocalPort } from "../../support/ports.ts";
import { createAdmin, createMember, type Person } from "../../factories/actors.ts";
import { addConsent } from "../../factories/relationship.ts";
import { draftAnnouncement, saveSegment } from "../../factories/outreach.ts";
import { scheduleAnnouncement } from "../../../app/modules/announcements/announcements.server.ts";
import { createTopicUnsubscribeToken } from "../../../app/modules/announcements/render.server.ts";
import { translator } from "../../../app/i18n/translate.ts";

const en = translator("en");
const OFFERS = en("consent.offers");

let t: TestServer;
let remix: RemixDev;
let smtp: TestSmtp;
let admin: Person, lan: Person, other: Person;
let announcementId: string;
/** The List-Unsubscribe address of the mail Lan received. */
let oneClick: URL;
/** Other's consent before anything happened, which nothing here may change. */
let otherBefore: Awaited<ReturnType<typeof offersConsent>>;

/** Exactly these headers, nothing added (fetch would add its own); what a mail provider sends. */
function request(method: "GET" | "POST", url: URL | string, options: { headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(url, { method, headers: options.headers ?? {} }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const ONE_CLICK_BODY = "List-Unsubscribe=One-Click";
const oneClickPost = (url: URL | string) =>
  request("POST", url, { headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(ONE_CLICK_BODY.length) }, body: ONE_CLICK_BODY });

/** What we remember of the member's consent to offers: the current state and the history. */
async function offersConsent(member: Person) {
  const db = t.server.services.db;
  const [current, events, touchpoints] = await Promise.all([
    db.memberConsent.findUnique({ where: { memberId_channel: { memberId: member.id, channel: "offers" } }, select: { granted: true } }),
    db.consentEvent.findMany({ where: { memberId: member.id, channel: "offers" }, orderBy: { recordedAt: "asc" }, select: { granted: true, source: true, actorId: true } }),
    db.touchpoint.count({ where: { memberId: member.id, kind: { in: ["consent.changed", "announcement.unsubscribed"] } } }),
  ]);
  return { granted: current?.granted ?? null, events, touchpoints };
}

/** A header of a received mail as it was written, unfolded (the parser merges the List-* ones). */
function rawHeader(mail: ParsedMail, name: string) {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? "";
  return line.slice(name.length + 1).replace(/\r?\n[ \t]+/g, "").trim();
}

beforeAll(async () => {
  smtp = await testSmtp();
  await smtp.start();
  remix = await remixDevRoutes();
  // Listening where PUBLIC_URL says, so the mail's link is used exactly as written.
  const port = await freeLocalPort();
  t = await startTestServer({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, SMTP_URL: smtp.url }, { remix: remix.remix });
  const services = t.server.services;
  const db = services.db;
  admin = await createAdmin(db);
  lan = await createMember(db, { displayName: "Hoàng Ngọc Lan", locale: "vi" });
  other = await createMember(db, { displayName: "Grace Wilson", locale: "en" });
  const yesterday = new Date(Date.now() - 86_400_000);
  for (const m of [lan, other]) {
    await addConsent(db, { memberId: m.id, channel: "offers", granted: true, source: "profile", at: yesterday });
    await addConsent(db, { memberId: m.id, channel: "newsletter", granted: true, source: "profile", at: yesterday });
  }
  const segmentId = await saveSegment(services, admin.actor, { name: "Everyone" });
  announcementId = await draftAnnouncement(services, admin.actor, { segmentId, topic: "offers", channels: ["email"] });
  expect(await scheduleAnnouncement(services, admin.actor, { announcementId, when: "now" })).toMatchObject({ ok: true });
  // The server's own outbox sends it, a moment later.
  const mail = await vi.waitFor(
    () => {
      const received = smtp.received.find((m) => m.to && "text" in m.to && m.to.text.includes(lan.email));
      if (!received) throw new Error("no mail to Lan yet");
      return received;
    },
    { timeout: 30_000, interval: 200 },
  );
  expect(rawHeader(mail, "List-Unsubscribe-Post")).toBe(ONE_CLICK_BODY);
  const address = /^<(https?:\/\/[^>]+)>$/.exec(rawHeader(mail, "List-Unsubscribe"))?.[1];
  expect(address, rawHeader(mail, "List-Unsubscribe")).toBeTruthy();
  oneClick = new URL(address!);
  otherBefore = await offersConsent(other);
  // Vite compiles every route on the first page asked for: once here, not inside a test's time.
  expect((await request("GET", new URL("/announcements/unsubscribe", t.origin))).status).toBe(200);
}, 240_000);

afterAll(async () => {
  await t?.dispose();
  await remix?.close();
  await smtp?.stop();
});

describe("RFC 8058 one-click unsubscribe from an announcement's topic, over HTTP", () => {
  it("the mail names an address on this site, for this topic", () => {
    expect(oneClick.origin).toBe(t.origin);
    expect(oneClick.pathname).toBe("/announcements/unsubscribe");
    expect(oneClick.searchParams.get("token")).toBeTruthy();
  });

  it("a GET (a link scanner, or a person who clicked) only shows a page asking to confirm, and changes nothing", async () => {
    const before = await offersConsent(lan);
    const page = await request("GET", oneClick, { headers: { "accept-language": "en" } });
    expect(page.status).toBe(200);
    expect(page.text).toContain(en("topicUnsubscribe.confirm", { topic: OFFERS }));
    expect(page.text).toMatch(/<form method="post"[^>]*>/);
    expect(page.text).toContain(`>${en("topicUnsubscribe.submit")}</button>`);
    expect(await offersConsent(lan)).toEqual(before);
    expect(before.granted).toBe(true);
  }, 120_000);

  it("a forged or altered token is refused with a 400 that says why, and changes nothing", async () => {
    const before = await offersConsent(lan);
    const token = oneClick.searchParams.get("token")!;
    // The right shape, signed with another secret; Lan's own token with one character changed;
    // another member's token with Lan's signature; nothing at all.
    const forged = createTopicUnsubscribeToken("an-attacker-does-not-know-the-secret-0123", lan.id, announcementId, "offers");
    const flipped = token.slice(0, -3) + (token.at(-3) === "A" ? "B" : "A") + token.slice(-2);
    const [payload, signature] = token.split(".");
    const [otherPayload] = createTopicUnsubscribeToken("x", other.id, announcementId, "offers").split(".");
    const spliced = signature && otherPayload ? `${otherPayload}.${signature}` : `${payload}x`;
    for (const bad of [forged, flipped, spliced, ""]) {
      const url = new URL(oneClick);
      url.searchParams.set("token", bad);
      const answer = await request("POST", url, {
        headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "en" },
        body: ONE_CLICK_BODY,
      });
      expect(answer.status, bad).toBe(400);
      expect(answer.text, bad).toContain(en("topicUnsubscribe.invalid"));
    }
    expect(await offersConsent(lan)).toEqual(before);
    expect(await offersConsent(other)).toEqual(otherBefore);
  }, 120_000);

  it("the mail client's POST, with no cookie and no Origin, withdraws consent to the topic and records where it came from", async () => {
    const before = await offersConsent(lan);
    const answer = await oneClickPost(oneClick);
    expect(Math.floor(answer.status / 100), "a 2xx").toBe(2);
    const after = await offersConsent(lan);
    expect(after.granted).toBe(false);
    expect(after.events.at(-1)).toEqual({ granted: false, source: "unsubscribe", actorId: null });
    expect(after.events).toHaveLength(2); // "yes" from the profile, then "no" from the mail
    // On the member's timeline for their manager: consent changed, and through which announcement.
    expect(after.touchpoints).toBe(before.touchpoints + 2);
    const delivery = await t.server.services.db.announcementDelivery.findUniqueOrThrow({
      where: { announcementId_memberId: { announcementId, memberId: lan.id } },
      select: { unsubscribedAt: true },
    });
    expect(delivery.unsubscribedAt).not.toBeNull();
    // Only that topic, only that member.
    expect(await t.server.services.db.memberConsent.findUnique({ where: { memberId_channel: { memberId: lan.id, channel: "newsletter" } }, select: { granted: true } })).toEqual({ granted: true });
    expect(await offersConsent(other)).toEqual(otherBefore);
  }, 120_000);

  it("a second POST (mail clients retry) is harmless: 2xx, no new history", async () => {
    const before = await offersConsent(lan);
    const again = await oneClickPost(oneClick);
    expect(Math.floor(again.status / 100), "a 2xx").toBe(2);
    expect(await offersConsent(lan)).toEqual(before);
  }, 120_000);
});
