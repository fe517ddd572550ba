/**
 * Announcements: the audience is the segment ∧ the sender's scope ∧ consent to the topic (the rest
 * counted as excluded, never sent to); delivery through the outbox is exactly once per member even
 * with two dispatchers at once and across a process that dies mid-batch; pause and resume; the
 * one-click unsubscribe; no edit once sending; field errors for bad input; staff read only the
 * announcements they wrote or that reached their members, counted over their members only.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { servicesForThisFile } from "../../support/services.ts";
import { HOUR, MINUTE, movableClock, type MovableClock } from "../../support/clock.ts";
import { never } from "../../support/relationship.ts";
import { createAdmin, createMember, createStaff, type Person } from "../../factories/actors.ts";
import { addConsent } from "../../factories/relationship.ts";
import { draftAnnouncement, saveSegment } from "../../factories/outreach.ts";
import { createOutboxDispatcher } from "../../../app/modules/outbox/outbox.server.ts";
import { announcementHandlers, LEASE_MS, recordAnnouncementClick, unsubscribeFromTopic } from "../../../app/modules/announcements/delivery.server.ts";
import { STAGES } from "../../../app/modules/relationship.ts";
import {
  createAnnouncement,
  deliveriesByStage,
  duplicateAnnouncement,
  markAnnouncementOpened,
  memberAnnouncement,
  getAnnouncement,
  pauseAnnouncement,
  previewAudience,
  previewAsMember,
  resumeAnnouncement,
  scheduleAnnouncement,
  testSendAnnouncement,
  updateAnnouncement,
  listAnnouncements,
} from "../../../app/modules/announcements/announcements.server.ts";
import { loader as reportLoader } from "../../../app/routes/staff.announcements.$announcementId.tsx";
import { loader as listLoader } from "../../../app/routes/staff.announcements._index.tsx";
import { loader as outreachLoader } from "../../../app/routes/staff.outreach.tsx";
import { ORIGIN, routeAnswer, routeContext } from "../../support/routes.ts";
import type { Mailer, OutgoingMail } from "../../../app/modules/services.server.ts";
import { translator } from "../../../app/i18n/translate.ts";

const services = servicesForThisFile();
const logger = pino({ level: "silent" });
let clock: MovableClock;

let admin: Person, mai: Person, nam: Person;
let an: Person, binh: Person, chau: Person, dung: Person;
let everyone: string;

/** A mailer that keeps what it was handed; `hangOn` freezes on that call, as a killed process would. */
function keepingMailer(options: { hangOn?: number } = {}) {
  const sent: OutgoingMail[] = [];
  let calls = 0;
  const mailer: Mailer & { sent: OutgoingMail[] } = {
    sent,
    async send(message) {
      calls++;
      if (calls === options.hangOn) {
        sent.push(message); // it may have left: the test counts it as delivered
        return never();
      }
      sent.push(message);
    },
  };
  return mailer;
}

function dispatcher(mailer: Mailer, batchSize = 50) {
  const handlers = announcementHandlers({
    db: services.db,
    mailer,
    clock,
    realtime: services.realtime,
    settings: services.settings,
    secret: services.secrets.app,
    logger,
    mailText: (locale, key, vars) => translator(locale === "en" ? "en" : "vi")(key, vars),
  });
  return createOutboxDispatcher({ db: services.db, clock, logger, handlers, batchSize });
}

async function rows(announcementId: string) {
  return services.db.announcementDelivery.findMany({ where: { announcementId }, select: { memberId: true, status: true, error: true, emailAt: true, inAppAt: true } });
}
const statusOf = async (announcementId: string, memberId: string) => (await rows(announcementId)).find((r) => r.memberId === memberId)?.status ?? null;
const mailsTo = (mailer: { sent: OutgoingMail[] }, email: string) => mailer.sent.filter((m) => m.to === email).length;

/** Many consenting members of one manager, for batches. */
async function crowd(manager: Person, n: number) {
  const people: Person[] = [];
  for (let i = 0; i < n; i++) {
    const m = await createMember(services.db, { displayName: `Khách ${manager.displayName} ${i}`, accountManagerId: manager.id, locale: "vi" });
    await addConsent(services.db, { memberId: m.id, channel: "offers", granted: true, source: "profile", at: clock.now() });
    people.push(m);
  }
  return people;
}

beforeAll(async () => {
  // Ahead of the database's own clock, which stamps availableAt on insert.
  clock = movableClock(new Date(Date.now() + MINUTE));
  services.clock = clock;
  const db = services.db;
  admin = await createAdmin(db);
  mai = await createStaff(db, { displayName: "Trần Thị Mai" });
  nam = await createStaff(db, { displayName: "Lê Văn Nam" });
  an = await createMember(db, { displayName: "An Pham", accountManagerId: mai.id, locale: "en" });
  binh = await createMember(db, { displayName: "Nguyễn Văn Bình", accountManagerId: mai.id, locale: "vi" });
  chau = await createMember(db, { displayName: "Đỗ Minh Châu", accountManagerId: nam.id, locale: "vi" });
  dung = await createMember(db, { displayName: "Vũ Dũng", accountManagerId: mai.id, locale: "vi" });
  const earlier = new Date(clock.now().getTime() - HOUR);
  await addConsent(db, { memberId: an.id, channel: "newsletter", granted: true, source: "profile", at: clock.now() });
  await addConsent(db, { memberId: chau.id, channel: "newsletter", granted: true, source: "profile", at: clock.now() });
  await addConsent(db, { memberId: dung.id, channel: "newsletter", granted: true, source: "profile", at: earlier });
  await addConsent(db, { memberId: dung.id, channel: "newsletter", granted: false, source: "profile", at: clock.now() });
  // Bình gave newsletter consent to nothing, but said yes to product news: a different topic.
  await addConsent(db, { memberId: binh.id, channel: "product_updates", granted: true, source: "profile", at: clock.now() });
  everyone = await saveSegment(services, admin.actor, { name: "Everyone" });
});

describe("the audience: segment ∧ the sender's scope ∧ consent to the topic", () => {
  it("counts who will receive it and who is left out, before anything is sent", async () => {
    expect(await previewAudience(services, mai.actor, everyone, "newsletter")).toEqual({ willReceive: 1, excluded: 2 }); // An; Bình and Dũng
    expect(await previewAudience(services, nam.actor, everyone, "newsletter")).toEqual({ willReceive: 1, excluded: 0 }); // Châu
    expect(await previewAudience(services, admin.actor, everyone, "newsletter")).toEqual({ willReceive: 2, excluded: 2 });
  });

  it("a staff member's announcement reaches only consenting members in their scope; the others are recorded as excluded and get nothing", async () => {
    const mailer = keepingMailer();
    const id = await draftAnnouncement(services, mai.actor, { segmentId: everyone });
    expect(await scheduleAnnouncement(services, mai.actor, { announcementId: id, when: "now" })).toMatchObject({ ok: true, status: "sending" });
    await dispatcher(mailer).drainNow();

    expect(await statusOf(id, an.id)).toBe("sent");
    expect(await statusOf(id, binh.id)).toBe("excluded");
    expect(await statusOf(id, dung.id)).toBe("excluded");
    expect(await statusOf(id, chau.id)).toBeNull(); // Nam's member: not in Mai's reach at all
    expect(mailer.sent.map((m) => m.to)).toEqual([an.email]);
    // Their language, their first name, their manager; the one-click unsubscribe headers.
    const mail = mailer.sent[0]!;
    expect(mail.subject).toBe("This month's news");
    expect(mail.text).toContain("Hello An, news from Trần Thị Mai.");
    expect(mail.headers?.["List-Unsubscribe"]).toMatch(/^<http:\/\/localhost:3999\/announcements\/unsubscribe\?token=.+>$/);
    expect(mail.headers?.["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    // A bell notice, a touchpoint, and only for An.
    expect(await services.db.notification.count({ where: { kind: "announcement.published", sourceKey: { startsWith: `announcement:${id}:` } } })).toBe(1);
    expect(await services.db.touchpoint.count({ where: { kind: "announcement.delivered", subjectId: id } })).toBe(1);
    const a = await getAnnouncement(services, admin.actor, id);
    expect(a).toMatchObject({ status: "sent", audienceCount: 1, excludedCount: 2, counts: { sent: 1, pending: 0, failed: 0, excluded: 2 } });
  });

  it("an admin's reaches everyone who consented", async () => {
    const mailer = keepingMailer();
    const id = await draftAnnouncement(services, admin.actor, { segmentId: everyone });
    await scheduleAnnouncement(services, admin.actor, { announcementId: id, when: "now" });
    await dispatcher(mailer).drainNow();
    expect(mailer.sent.map((m) => m.to).sort()).toEqual([an.email, chau.email].sort());
    expect(await statusOf(id, chau.id)).toBe("sent");
  });

  it("asks consent again as each copy goes: withdrawn after the audience was made is excluded then", async () => {
    const mailer = keepingMailer();
    const id = await draftAnnouncement(services, admin.actor, { segmentId: everyone, topic: "product_updates" });
    await scheduleAnnouncement(services, admin.actor, { announcementId: id, when: "now" });
    const d = dispatcher(mailer, 1);
    // Run events one at a time until the audience exists, then Bình changes their mind.
    while (!(await rows(id)).length) await d.runOnce();
    expect(await statusOf(id, binh.id)).toBe("pending");
    await addConsent(services.db, { memberId: binh.id, channel: "product_updates", granted: false, source: "profile", at: clock.now() });
    await d.drainNow();
    expect(await statusOf(id, binh.id)).toBe("excluded");
    expect(mailer.sent).toEqual([]);
  });

  it("previews as a member in the viewer's scope only", async () => {
    const id = await draftAnnouncement(services, mai.actor, { segmentId: everyone });
    expect(await previewAsMember(services, mai.actor, id, binh.id)).toMatchObject({ lang: "vi", title: "Tin tháng này", text: expect.stringContaining("Chào Bình, đây là tin của Trần Thị Mai.") });
    expect(await previewAsMember(services, mai.actor, id, binh.email.toUpperCase())).toMatchObject({ member: { id: binh.id } });
    expect(await previewAsMember(services, mai.actor, id, chau.id)).toBeNull();
    expect(await previewAsMember(services, mai.actor, id, chau.email)).toBeNull();
    expect(await previewAsMember(services, admin.actor, id, chau.id)).not.toBeNull();
  });

  it("falls back to the other language when the member's is empty, and escapes names in markdown", async () => {
    const tricky = await createMember(services.db, { displayName: "Bé **Na** [x](javascript:alert(1))", accountManagerId: mai.id, locale: "en" });
    const id = await draftAnnouncement(services, mai.actor, { segmentId: everyone, titleEn: "", bodyEn: "", bodyVi: "Chào {{member.name}}" });
    const preview = await previewAsMember(services, mai.actor, id, tricky.id);
    expect(preview).toMatchObject({ lang: "vi", title: "Tin tháng này" });
    expect(preview!.html).not.toContain("<strong>");
    expect(preview!.html).not.toContain("<a ");
    expect(preview!.html).toContain("**Na**");
  });
});

describe("exactly once per member", () => {
  let crowdOfMai: Person[];
  beforeAll(async () => {
    crowdOfMai = await crowd(mai, 120);
  });

  it("two dispatchers at once send each member one mail, one bell notice and one touchpoint", async () => {
    const mailer = keepingMailer();
    const id = await draftAnnouncement(services, mai.actor, { segmentId: everyone, topic: "offers" });
    await scheduleAnnouncement(services, mai.actor, { announcementId: id, when: "now" });
    const [first, second] = [dispatcher(mailer, 2), dispatcher(mailer, 2)];
    await Promise.all([first.drainNow(), second.drainNow(), first.drainNow(), second.drainNow()]);
    await first.drainNow();
    expect(mailer.sent).toHaveLength(120);
    for (const m of crowdOfMai) expect(mailsTo(mailer, m.email)).toBe(1);
    expect(await services.db.notification.count({ where: { sourceKey: { startsWith: `announcement:${id}:` } } })).toBe(120);
    expect(await services.db.touchpoint.count({ where: { kind: "announcement.delivered", subjectId: id } })).toBe(120);
    expect((await getAnnouncement(services, admin.actor, id))?.status).toBe("sent");
  });

  it("a process killed mid-batch: the restart sends the rest, and never mails anyone twice", async () => {
    const dying = keepingMailer({ hangOn: 3 });
    const id = await draftAnnouncement(services, mai.actor, { segmentId: everyone, topic: "offers", channels: ["email"] });
    await scheduleAnnouncement(services, mai.actor, { announcementId: id, when: "now" });
    // The first instance hands two mails over and freezes inside the third: never awaited, as if killed.
    void dispatcher(dying).drainNow();
    await expect.poll(() => dying.sent.length, { timeout: 10_000 }).toBe(3);

    // Restarted later, past the outbox's lock and the rows' lease.
    clock.advance(LEASE_MS + MINUTE);
    const restarted = keepingMailer();
    await dispatcher(restarted).drainNow();
    clock.advance(LEASE_MS + MINUTE);
    await dispatcher(restarted).drainNow();

    const all = [...dying.sent, ...restarted.sent];
    for (const m of crowdOfMai) expect(all.filter((mail) => mail.to === m.email).length).toBeLessThanOrEqual(1);
    const final = await rows(id);
    // The one whose mail may or may not have left is recorded as failed, not sent again.
    const interrupted = final.filter((r) => r.status === "failed");
    expect(interrupted).toEqual([expect.objectContaining({ error: "interrupted" })]);
    expect(final.filter((r) => r.status === "sent")).toHaveLength(119);
    expect(restarted.sent).toHaveLength(117);
    expect((await getAnnouncement(services, admin.actor, id))?.status).toBe("sent");
  });

  it("pause stops further batches; resume sends the rest", async () => {
    const mailer = keepingMailer();
    const id = await draftAnnouncement(services, mai.actor, { segmentId: everyone, topic: "offers", channels: ["email"] });
    await scheduleAnnouncement(services, mai.actor, { announcementId: id, when: "now" });
    const d = dispatcher(mailer, 1);
    while (mailer.sent.length === 0) await d.runOnce();
    expect(mailer.sent).toHaveLength(50); // one batch
    expect(await pauseAnnouncement(services, mai.actor, { announcementId: id })).toMatchObject({ ok: true });
    await d.drainNow();
    expect(mailer.sent).toHaveLength(50);
    expect(await getAnnouncement(services, admin.actor, id)).toMatchObject({ status: "paused", counts: { sent: 50, pending: 70 } });
    expect(await pauseAnnouncement(services, mai.actor, { announcementId: id })).toMatchObject({ ok: false, error: "closed" });

    expect(await resumeAnnouncement(services, mai.actor, { announcementId: id })).toMatchObject({ ok: true });
    await d.drainNow();
    expect(mailer.sent).toHaveLength(120);
    expect(new Set(mailer.sent.map((m) => m.to)).size).toBe(120);
    expect(await getAnnouncement(services, admin.actor, id)).toMatchObject({ status: "sent", counts: { sent: 120, pending: 0 } });
  });

  it("a scheduled one waits for its time", async () => {
    const mailer = keepingMailer();
    const id = await draftAnnouncement(services, nam.actor, { segmentId: everyone });
    const at = new Date(clock.now().getTime() + 2 * HOUR);
    const local = at.toISOString().slice(0, 16);
    expect(await scheduleAnnouncement(services, nam.actor, { announcementId: id, when: "later", scheduledAt: local, timeZone: "UTC" })).toMatchObject({ ok: true, status: "scheduled" });
    await dispatcher(mailer).drainNow();
    expect(mailer.sent).toEqual([]);
    clock.advance(3 * HOUR);
    await dispatcher(mailer).drainNow();
    expect(mailer.sent.map((m) => m.to)).toEqual([chau.email]);
  });
});

describe("9:00 their time", () => {
  it("reaches each member at that time in their own zone", async () => {
    const hoa = await createStaff(services.db, { displayName: "Phan Thị Hoa" });
    const hanoi = await createMember(services.db, { displayName: "Hà Nội", accountManagerId: hoa.id, locale: "vi" });
    const newYork = await createMember(services.db, { displayName: "New York", accountManagerId: hoa.id, locale: "en" });
    await services.db.user.update({ where: { id: hanoi.id }, data: { timezone: "Asia/Ho_Chi_Minh" } });
    await services.db.user.update({ where: { id: newYork.id }, data: { timezone: "America/New_York" } });
    for (const m of [hanoi, newYork]) await addConsent(services.db, { memberId: m.id, channel: "newsletter", granted: true, source: "profile", at: clock.now() });

    const id = await draftAnnouncement(services, hoa.actor, { segmentId: everyone });
    const day = new Date(clock.now().getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect(await scheduleAnnouncement(services, hoa.actor, { announcementId: id, when: "later", scheduledAt: `${day}T09:00`, theirTime: "on" })).toMatchObject({ ok: true, status: "scheduled" });
    const mailer = keepingMailer();
    const atHanoiNine = new Date(`${day}T02:00:00.000Z`);
    const atNewYorkNine = new Date(`${day}T14:00:00.000Z`); // 9:00 EST (UTC-5)
    clock.advance(atHanoiNine.getTime() + MINUTE - clock.now().getTime());
    await dispatcher(mailer).drainNow();
    expect(mailer.sent.map((m) => m.to)).toEqual([hanoi.email]);
    expect(await getAnnouncement(services, admin.actor, id)).toMatchObject({ status: "sending", counts: { sent: 1, pending: 1 } });
    clock.advance(atNewYorkNine.getTime() - MINUTE - clock.now().getTime());
    await dispatcher(mailer).drainNow();
    expect(mailer.sent).toHaveLength(1);
    clock.advance(2 * MINUTE);
    await dispatcher(mailer).drainNow();
    expect(mailer.sent.map((m) => m.to)).toEqual([hanoi.email, newYork.email]);
    expect((await getAnnouncement(services, admin.actor, id))?.status).toBe("sent");
  });
});

describe("one-click unsubscribe", () => {
  it("withdraws consent to the topic through a command, records it on the announcement, and the next one excludes them", async () => {
    const mailer = keepingMailer();
    const id = await draftAnnouncement(services, nam.actor, { segmentId: everyone });
    await scheduleAnnouncement(services, nam.actor, { announcementId: id, when: "now" });
    await dispatcher(mailer).drainNow();
    const header = mailer.sent.find((m) => m.to === chau.email)!.headers!["List-Unsubscribe"]!;
    const token = decodeURIComponent(/token=([^>]+)>/.exec(header)![1]!);

    expect(await unsubscribeFromTopic(services, null, { token: `${token}x` })).toMatchObject({ ok: false, error: "invalid" });
    expect(await unsubscribeFromTopic(services, null, { token })).toMatchObject({ ok: true, topic: "newsletter" });
    expect(await unsubscribeFromTopic(services, null, { token })).toMatchObject({ ok: true });
    expect(await services.db.memberConsent.findUnique({ where: { memberId_channel: { memberId: chau.id, channel: "newsletter" } } })).toMatchObject({ granted: false });
    expect(await services.db.consentEvent.count({ where: { memberId: chau.id, channel: "newsletter", source: "unsubscribe", granted: false } })).toBe(1);
    expect((await getAnnouncement(services, admin.actor, id))?.counts.unsubscribed).toBe(1);
    expect(await services.db.auditLog.count({ where: { action: "announcement.unsubscribed", targetMemberId: chau.id } })).toBe(1);

    const next = await draftAnnouncement(services, nam.actor, { segmentId: everyone });
    await scheduleAnnouncement(services, nam.actor, { announcementId: next, when: "now" });
    const later = keepingMailer();
    await dispatcher(later).drainNow();
    expect(later.sent).toEqual([]);
    expect(await statusOf(next, chau.id)).toBe("excluded");
  });
});

describe("opened and clicked, without a pixel", () => {
  it("links go through a signed redirect that records the first click; opening the card is recorded once", async () => {
    const mailer = keepingMailer();
    const id = await draftAnnouncement(services, admin.actor, { segmentId: everyone, bodyEn: "See [the menu](https://example.com/menu?a=1&b=2).", bodyVi: "Xem [thực đơn](https://example.com/menu?a=1&b=2)." });
    await scheduleAnnouncement(services, admin.actor, { announcementId: id, when: "now" });
    await dispatcher(mailer).drainNow();
    const html = mailer.sent.find((m) => m.to === an.email)!.html!;
    expect(html).not.toContain('href="https://example.com');
    const href = /href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, "&");
    expect(href.startsWith("http://localhost:3999/announcements/go?token=")).toBe(true);
    const token = new URL(href).searchParams.get("token")!;

    expect(await recordAnnouncementClick(services, null, { token: `${token}x` })).toMatchObject({ ok: false, error: "notFound" });
    expect(await recordAnnouncementClick(services, null, { token })).toEqual({ ok: true, url: "https://example.com/menu?a=1&b=2" });
    expect(await recordAnnouncementClick(services, null, { token })).toMatchObject({ ok: true });
    expect(await services.db.touchpoint.count({ where: { kind: "announcement.clicked", memberId: an.id, subjectId: id } })).toBe(1);

    // The card in the app: the same redirect, relative; opening it counts once.
    const card = await memberAnnouncement(services.db, an.id, id, services.secrets.app);
    expect(card?.html).toContain('href="/announcements/go?token=');
    expect(await memberAnnouncement(services.db, binh.id, id, services.secrets.app)).toBeNull();
    await markAnnouncementOpened(services, an.actor, { announcementId: id });
    await markAnnouncementOpened(services, an.actor, { announcementId: id });
    expect(await services.db.touchpoint.count({ where: { kind: "announcement.opened", memberId: an.id, subjectId: id } })).toBe(1);
    expect(await getAnnouncement(services, admin.actor, id)).toMatchObject({ counts: { opened: 1, clicked: 1 } });
    const stages = await deliveriesByStage(services, admin.actor, id);
    const total = (k: "delivered" | "opened" | "clicked") => stages.reduce((n, s) => n + s[k], 0);
    expect([total("opened"), total("clicked")]).toEqual([1, 1]);
    expect(total("delivered")).toBe((await getAnnouncement(services, admin.actor, id))?.counts.sent);
    // The report reads down the lifecycle, attract first, whatever order the deliveries were made in.
    const shown = stages.map((s) => s.stage);
    expect(shown).toEqual(STAGES.filter((stage) => shown.includes(stage)));
  });
});

describe("no edit once sending; bad input", () => {
  it("refuses an edit or a second send once it started, and duplicates instead", async () => {
    const id = await draftAnnouncement(services, mai.actor, { segmentId: everyone });
    await scheduleAnnouncement(services, mai.actor, { announcementId: id, when: "now" });
    const edit = await updateAnnouncement(services, mai.actor, { announcementId: id, topic: "newsletter", channels: ["email"], segmentId: everyone, titleVi: "Khác", bodyVi: "Khác" });
    expect(edit).toMatchObject({ ok: false, error: "closed", message: { key: "announcement.closed" } });
    expect(await scheduleAnnouncement(services, mai.actor, { announcementId: id, when: "now" })).toMatchObject({ ok: false, error: "closed" });
    const copy = await duplicateAnnouncement(services, mai.actor, { announcementId: id });
    expect(copy).toMatchObject({ ok: true });
    expect(await getAnnouncement(services, admin.actor, (copy as { id: string }).id)).toMatchObject({ status: "draft", duplicateOf: id, titleVi: "Tin tháng này" });
  });

  it("another staff member may not send or change Mai's; an admin may", async () => {
    const id = await draftAnnouncement(services, mai.actor, { segmentId: everyone });
    expect(await scheduleAnnouncement(services, nam.actor, { announcementId: id, when: "now" })).toMatchObject({ ok: false, error: "notAllowed" });
    expect(await pauseAnnouncement(services, an.actor, { announcementId: id })).toMatchObject({ ok: false, error: "notAllowed" });
    expect(await createAnnouncement(services, an.actor, { segmentId: everyone, topic: "newsletter", channels: ["email"], titleVi: "x", bodyVi: "y" })).toMatchObject({ ok: false, error: "notAllowed" });
    expect(await updateAnnouncement(services, admin.actor, { announcementId: id, segmentId: everyone, topic: "offers", channels: ["in_app"], titleEn: "Hi", bodyEn: "There" })).toMatchObject({ ok: true });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["NUL bytes", { titleVi: "Tin\u0000", bodyVi: "x" }, "titleVi", "announcement.invalidCharacters"],
    ["an oversized body", { bodyVi: "x".repeat(20_001) }, "bodyVi", "announcement.tooLong"],
    ["no body in either language", { titleVi: "", bodyVi: "" }, "bodyVi", "announcement.bodyRequired"],
    ["a body without its title", { titleVi: "", bodyVi: "x" }, "titleVi", "announcement.titleRequired"],
    ["the surveys topic", { topic: "surveys" }, "topic", "announcement.topicRequired"],
    ["no channel", { channels: [] }, "channels", "announcement.channelsRequired"],
    ["an unknown channel", { channels: ["sms"] }, "channels", "announcement.channelsRequired"],
  ])("refuses %s with a field error", async (_name, change, field, key) => {
    const result = await createAnnouncement(services, mai.actor, { segmentId: everyone, topic: "newsletter", channels: ["email"], titleVi: "Tin", ...change });
    expect(result).toMatchObject({ ok: false, error: "invalid" });
    expect((result as { fieldErrors: Record<string, string[]> }).fieldErrors[field]).toContain(key);
  });

  it("an unknown or archived segment is not found", async () => {
    expect(await createAnnouncement(services, mai.actor, { segmentId: "no-such-segment", topic: "newsletter", channels: ["email"], titleVi: "Tin", bodyVi: "x" })).toMatchObject({ ok: false, error: "notFound" });
  });

  it("a schedule in the past is a field error", async () => {
    const id = await draftAnnouncement(services, mai.actor, { segmentId: everyone });
    const past = new Date(clock.now().getTime() - MINUTE).toISOString().slice(0, 16);
    expect(await scheduleAnnouncement(services, mai.actor, { announcementId: id, when: "later", scheduledAt: past, timeZone: "UTC" })).toMatchObject({ ok: false, error: "invalid", fieldErrors: { scheduledAt: ["announcement.scheduleInPast"] } });
    expect(await scheduleAnnouncement(services, mai.actor, { announcementId: id, when: "later", scheduledAt: "" })).toMatchObject({ ok: false, fieldErrors: { scheduledAt: ["announcement.scheduleRequired"] } });
    expect((await getAnnouncement(services, admin.actor, id))?.status).toBe("draft");
  });

  it("limits test sends to yourself", async () => {
    const id = await draftAnnouncement(services, nam.actor, { segmentId: everyone });
    for (let i = 0; i < 5; i++) expect(await testSendAnnouncement(services, nam.actor, { announcementId: id })).toMatchObject({ ok: true });
    expect(await testSendAnnouncement(services, nam.actor, { announcementId: id })).toMatchObject({ ok: false, error: "rateLimited" });
    const mailer = keepingMailer();
    await dispatcher(mailer).drainNow();
    const tests = mailer.sent.filter((m) => m.to === nam.email);
    expect(tests.map((m) => m.subject)).toEqual(Array(5).fill(nam.locale === "en" ? "[Test] This month's news" : "[Thử] Tin tháng này"));
    expect(await services.db.announcementDelivery.count({ where: { announcementId: id } })).toBe(0);
  });
});

describe("what a staff member reads: their own, and those that reached their members", () => {
  let hoa: Person, khoa: Person, lan: Person, minh: Person;
  let fromHoa: string, fromAdmin: string, draftOfKhoa: string;
  const open = (who: Person, announcementId: string) =>
    routeAnswer(async () => reportLoader({ request: new Request(`${ORIGIN}/staff/announcements/${announcementId}`), context: routeContext(services, who), params: { announcementId } }));
  const titlesListed = async (who: Person) => {
    const answer = await routeAnswer(async () => listLoader({ request: new Request(`${ORIGIN}/staff/announcements`), context: routeContext(services, who), params: {} }));
    return (answer.data as { announcements: { id: string }[] }).announcements.map((a) => a.id);
  };

  beforeAll(async () => {
    const db = services.db;
    hoa = await createStaff(db, { displayName: "Phạm Thu Hoa" });
    khoa = await createStaff(db, { displayName: "Đặng Khoa" });
    lan = await createMember(db, { displayName: "Lan Hoa's", accountManagerId: hoa.id, locale: "vi" });
    minh = await createMember(db, { displayName: "Minh Khoa's", accountManagerId: khoa.id, locale: "vi" });
    for (const m of [lan, minh]) await addConsent(db, { memberId: m.id, channel: "product_updates", granted: true, source: "profile", at: clock.now() });
    const mailer = keepingMailer();
    fromHoa = await draftAnnouncement(services, hoa.actor, { segmentId: everyone, topic: "product_updates", titleVi: "Tin sản phẩm của Hoa" });
    fromAdmin = await draftAnnouncement(services, admin.actor, { segmentId: everyone, topic: "product_updates", titleVi: "Tin sản phẩm chung" });
    draftOfKhoa = await draftAnnouncement(services, khoa.actor, { segmentId: everyone, topic: "product_updates", titleVi: "Nháp của Khoa" });
    for (const [who, id] of [[hoa, fromHoa], [admin, fromAdmin]] as const) await scheduleAnnouncement(services, who.actor, { announcementId: id, when: "now" });
    await dispatcher(mailer).drainNow();
  });

  it("the list shows staff their own and those that reached their members, never another's draft; an admin sees all", async () => {
    const ofHoa = await titlesListed(hoa);
    expect(ofHoa).toEqual(expect.arrayContaining([fromHoa, fromAdmin]));
    expect(ofHoa).not.toContain(draftOfKhoa);
    const ofKhoa = await titlesListed(khoa);
    expect(ofKhoa).toEqual(expect.arrayContaining([draftOfKhoa, fromAdmin]));
    expect(ofKhoa).not.toContain(fromHoa);
    expect(await titlesListed(admin)).toEqual(expect.arrayContaining([fromHoa, fromAdmin, draftOfKhoa]));
  });

  it("counts an admin's announcement over the viewer's members only; the admin sees every copy", async () => {
    const everyCopy = (await getAnnouncement(services, admin.actor, fromAdmin))!;
    expect(everyCopy.counts.sent).toBe(2); // Lan and Minh: the only ones still saying yes to product news
    expect(everyCopy.audienceCount).toBe(everyCopy.counts.sent);
    const hoasShare = (await listAnnouncements(services, hoa.actor)).find((a) => a.id === fromAdmin)!;
    expect(hoasShare.counts).toMatchObject({ sent: 1, excluded: 0 }); // Lan, Hoa's only member
    expect(await getAnnouncement(services, hoa.actor, fromAdmin)).toMatchObject({ counts: { sent: 1 }, audienceCount: null, excludedCount: null });
    const stages = await deliveriesByStage(services, hoa.actor, fromAdmin);
    expect(stages.reduce((sum, s) => sum + s.delivered + s.excluded, 0)).toBe(1);
  });

  it("the outreach hub counts, for each, the announcements they read", async () => {
    const hub = async (who: Person) =>
      (await routeAnswer(async () => outreachLoader({ request: new Request(`${ORIGIN}/staff/outreach`), context: routeContext(services, who), params: {} }))).data as { announcements: { sent: number; scheduled: number } };
    expect((await hub(hoa)).announcements.sent - (await hub(khoa)).announcements.sent).toBe(1); // Hoa's own reached only Hoa's member
    expect((await hub(admin)).announcements.sent).toBeGreaterThan((await hub(hoa)).announcements.sent);
    expect((await routeAnswer(async () => outreachLoader({ request: new Request(`${ORIGIN}/staff/outreach`), context: routeContext(services, lan), params: {} }))).status).toBe(403);
  });

  it("another staff member's announcement with none of their members is not found: the report, a copy, a test send", async () => {
    expect((await open(khoa, fromHoa)).status).toBe(404);
    expect((await open(hoa, draftOfKhoa)).status).toBe(404);
    expect(await getAnnouncement(services, khoa.actor, fromHoa)).toBeNull();
    expect(await duplicateAnnouncement(services, khoa.actor, { announcementId: fromHoa })).toMatchObject({ ok: false, error: "notFound" });
    expect(await testSendAnnouncement(services, khoa.actor, { announcementId: fromHoa })).toMatchObject({ ok: false, error: "notFound" });
    expect((await open(hoa, fromHoa)).status).toBe(200);
    expect((await open(khoa, fromAdmin)).status).toBe(200);
    expect((await open(admin, fromHoa)).status).toBe(200);
  });
});
