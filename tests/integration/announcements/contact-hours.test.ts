/**
 * Contact hours for email: a member chooses weekdays and hours on their own clock; an announcement's
 * mail that would reach them outside them waits for the next opening, while the in-app card goes
 * at once; a member without hours is mailed at once; nobody is mailed twice.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { servicesForThisFile } from "../../support/services.ts";
import { MINUTE, movableClock, type MovableClock } from "../../support/clock.ts";
import { createMember, createStaff, type Person } from "../../factories/actors.ts";
import { addConsent } from "../../factories/relationship.ts";
import { draftAnnouncement, saveSegment } from "../../factories/outreach.ts";
import { giveContactHours } from "../../factories/contact-hours.ts";
import { createOutboxDispatcher } from "../../../app/modules/outbox/outbox.server.ts";
import { announcementHandlers } from "../../../app/modules/announcements/delivery.server.ts";
import { getAnnouncement, scheduleAnnouncement } from "../../../app/modules/announcements/announcements.server.ts";
import { getContactHours, setContactHours } from "../../../app/modules/members/contact-hours.server.ts";
import { openMemberPage } from "../../../app/modules/console/member-page.server.ts";
import type { Mailer, OutgoingMail } from "../../../app/modules/services.server.ts";
import { translator } from "../../../app/i18n/translate.ts";
import { action as profileAction, loader as profileLoader } from "../../../app/routes/profile._index.tsx";
import { ORIGIN, routeAnswer, routeContext } from "../../support/routes.ts";

const services = servicesForThisFile();
const logger = pino({ level: "silent" });
let clock: MovableClock;
let hoa: Person, lan: Person, tom: Person, kate: Person;
let everyone: string;

// Monday 7 January 2030, 00:30 UTC: 07:30 in Hanoi, 00:30 in London. Ahead of the database's own clock.
const START = new Date("2030-01-07T00:30:00.000Z");
const HANOI_EIGHT = new Date("2030-01-07T01:00:00.000Z");
const LONDON_NINE = new Date("2030-01-07T09:00:00.000Z");

function keepingMailer() {
  const sent: OutgoingMail[] = [];
  const mailer: Mailer & { sent: OutgoingMail[] } = { sent, send: async (message) => void sent.push(message) };
  return mailer;
}

function dispatcher(mailer: Mailer) {
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
  return createOutboxDispatcher({ db: services.db, clock, logger, handlers });
}

const moveTo = (instant: Date) => clock.advance(instant.getTime() - clock.now().getTime());
const bellFor = (announcementId: string, memberId: string) => services.db.notification.count({ where: { sourceKey: `announcement:${announcementId}:${memberId}` } });
const copyOf = (announcementId: string, memberId: string) =>
  services.db.announcementDelivery.findUniqueOrThrow({ where: { announcementId_memberId: { announcementId, memberId } }, select: { status: true, emailAt: true, emailHeldUntil: true, inAppAt: true } });

beforeAll(async () => {
  clock = movableClock(START);
  services.clock = clock;
  const db = services.db;
  hoa = await createStaff(db, { displayName: "Phan Thị Hoa" });
  lan = await createMember(db, { displayName: "Trần Thị Lan", accountManagerId: hoa.id, locale: "vi" });
  tom = await createMember(db, { displayName: "Tom Nguyen", accountManagerId: hoa.id, locale: "en" });
  kate = await createMember(db, { displayName: "Kate Hill", accountManagerId: hoa.id, locale: "en" });
  await db.user.update({ where: { id: lan.id }, data: { timezone: "Asia/Ho_Chi_Minh" } });
  await db.user.update({ where: { id: tom.id }, data: { timezone: "Asia/Ho_Chi_Minh" } });
  await db.user.update({ where: { id: kate.id }, data: { timezone: "Europe/London" } });
  for (const m of [lan, tom, kate]) await addConsent(db, { memberId: m.id, channel: "newsletter", granted: true, source: "profile", at: clock.now() });
  // Lan: weekdays 08:00–20:00 Hanoi time; Kate: weekdays 09:00–17:00 London time; Tom: any time.
  await giveContactHours(db, { memberId: lan.id, weekdays: [1, 2, 3, 4, 5], from: "08:00", to: "20:00" });
  await giveContactHours(db, { memberId: kate.id, weekdays: [1, 2, 3, 4, 5], from: "09:00", to: "17:00" });
  everyone = await saveSegment(services, hoa.actor, { name: "Everyone" });
});

describe("announcement mail waits for the member's contact hours", () => {
  it("outside their hours the card arrives now and the mail at the window's opening, their time; without hours the mail goes at once", async () => {
    const mailer = keepingMailer();
    const id = await draftAnnouncement(services, hoa.actor, { segmentId: everyone });
    expect(await scheduleAnnouncement(services, hoa.actor, { announcementId: id, when: "now" })).toMatchObject({ ok: true, status: "sending" });
    await dispatcher(mailer).drainNow();

    // 07:30 in Hanoi, 00:30 in London: only Tom is mailed; all three have the card.
    expect(mailer.sent.map((m) => m.to)).toEqual([tom.email]);
    for (const m of [lan, tom, kate]) expect(await bellFor(id, m.id)).toBe(1);
    expect(await copyOf(id, lan.id)).toMatchObject({ status: "pending", emailAt: null, emailHeldUntil: HANOI_EIGHT });
    expect(await copyOf(id, kate.id)).toMatchObject({ status: "pending", emailAt: null, emailHeldUntil: LONDON_NINE });
    expect(await getAnnouncement(services, hoa.actor, id)).toMatchObject({ status: "sending", counts: { sent: 1, pending: 2, waitingForHours: 2 } });

    // A minute before Lan's 08:00 nothing more leaves.
    moveTo(new Date(HANOI_EIGHT.getTime() - MINUTE));
    await dispatcher(mailer).drainNow();
    expect(mailer.sent).toHaveLength(1);

    // At 08:00 in Hanoi Lan's mail goes, once, even with two dispatchers at it; her card is not sent again.
    moveTo(HANOI_EIGHT);
    await Promise.all([dispatcher(mailer).drainNow(), dispatcher(mailer).drainNow()]);
    expect(mailer.sent.map((m) => m.to)).toEqual([tom.email, lan.email]);
    expect(mailer.sent[1]!.subject).toBe("Tin tháng này");
    expect(await bellFor(id, lan.id)).toBe(1);
    expect(await copyOf(id, lan.id)).toMatchObject({ status: "sent", emailAt: HANOI_EIGHT });
    expect(await getAnnouncement(services, hoa.actor, id)).toMatchObject({ status: "sending", counts: { sent: 2, pending: 1, waitingForHours: 1 } });

    // 09:00 in London (GMT in January): Kate's, and the announcement is done.
    moveTo(LONDON_NINE);
    await dispatcher(mailer).drainNow();
    expect(mailer.sent.map((m) => m.to)).toEqual([tom.email, lan.email, kate.email]);
    expect(await getAnnouncement(services, hoa.actor, id)).toMatchObject({ status: "sent", counts: { sent: 3, pending: 0, waitingForHours: 0 } });
    expect(await services.db.touchpoint.count({ where: { kind: "announcement.delivered", subjectId: id } })).toBe(3);
  });

  it("an in-app-only announcement is not delayed by contact hours", async () => {
    // Saturday noon in Hanoi: outside Lan's weekdays.
    moveTo(new Date("2030-01-12T05:00:00.000Z"));
    const mailer = keepingMailer();
    const id = await draftAnnouncement(services, hoa.actor, { segmentId: everyone, channels: ["in_app"] });
    await scheduleAnnouncement(services, hoa.actor, { announcementId: id, when: "now" });
    await dispatcher(mailer).drainNow();
    expect(mailer.sent).toEqual([]);
    expect(await copyOf(id, lan.id)).toMatchObject({ status: "sent", emailHeldUntil: null });
    expect((await getAnnouncement(services, hoa.actor, id))?.status).toBe("sent");
  });

  it("a member who withdrew consent while their mail waited gets no mail at the opening", async () => {
    moveTo(new Date("2030-01-12T05:00:00.000Z"));
    const mailer = keepingMailer();
    const id = await draftAnnouncement(services, hoa.actor, { segmentId: everyone, channels: ["email"] });
    await scheduleAnnouncement(services, hoa.actor, { announcementId: id, when: "now" });
    await dispatcher(mailer).drainNow();
    expect(mailer.sent.map((m) => m.to)).toEqual([tom.email]);
    await addConsent(services.db, { memberId: lan.id, channel: "newsletter", granted: false, source: "profile", at: clock.now() });
    moveTo(new Date("2030-01-14T09:00:00.000Z")); // Monday: both windows open
    await dispatcher(mailer).drainNow();
    expect(mailer.sent.map((m) => m.to)).toEqual([tom.email, kate.email]);
    expect(await copyOf(id, lan.id)).toMatchObject({ status: "excluded" });
    await addConsent(services.db, { memberId: lan.id, channel: "newsletter", granted: true, source: "profile", at: clock.now() });
  });
});

describe("the member sets their email hours", () => {
  it("saves days and hours, shows them to their manager as set by the member, and records a touchpoint", async () => {
    const mai = await createMember(services.db, { displayName: "Lê Thị Mai", accountManagerId: hoa.id });
    expect(await setContactHours(services, mai.actor, { memberId: mai.id, mode: "window", weekdays: [6, 7], from: "09:30", to: "12:00" })).toMatchObject({ ok: true, changed: true });
    expect(await getContactHours(services.db, mai.id)).toMatchObject({ weekdays: [6, 7], fromMinute: 570, toMinute: 720, source: "member" });
    const page = await openMemberPage(services, hoa.actor, mai.id, { ip: "127.0.0.1" });
    expect(page.member.contactWindow).toMatchObject({ weekdays: [6, 7], fromMinute: 570, toMinute: 720, source: "member" });
    expect(await services.db.touchpoint.findFirst({ where: { memberId: mai.id, kind: "profile.updated" }, select: { data: true } })).toMatchObject({ data: { fields: "emailHours" } });
    // The same again changes nothing; "any time" removes the window.
    expect(await setContactHours(services, mai.actor, { memberId: mai.id, mode: "window", weekdays: [7, 6], from: "09:30", to: "12:00" })).toMatchObject({ ok: true, changed: false });
    expect(await setContactHours(services, mai.actor, { memberId: mai.id, mode: "any" })).toMatchObject({ ok: true, changed: true });
    expect(await getContactHours(services.db, mai.id)).toBeNull();
  });

  it("refuses an end not after the start and no weekday, as field errors, and another member's hours as not found", async () => {
    const mai = await createMember(services.db, { displayName: "Đinh Mai", accountManagerId: hoa.id });
    expect(await setContactHours(services, mai.actor, { memberId: mai.id, mode: "window", weekdays: [1], from: "20:00", to: "08:00" })).toMatchObject({
      ok: false,
      error: "invalid",
      fieldErrors: { to: ["contactHours.toNotAfterFrom"] },
    });
    expect(await setContactHours(services, mai.actor, { memberId: mai.id, mode: "window", weekdays: [], from: "08:00", to: "20:00" })).toMatchObject({
      ok: false,
      fieldErrors: { weekdays: ["contactHours.noWeekday"] },
    });
    expect(await setContactHours(services, mai.actor, { memberId: lan.id, mode: "any" })).toMatchObject({ ok: false, error: "notFound" });
    expect(await getContactHours(services.db, mai.id)).toBeNull();
  });
});

describe("the profile page's email hours, through its route", () => {
  const post = (who: Person, fields: [string, string][]) =>
    routeAnswer(() =>
      profileAction({
        request: new Request(`${ORIGIN}/profile`, { method: "POST", body: new URLSearchParams([["intent", "contact-hours"], ...fields]), headers: { "content-type": "application/x-www-form-urlencoded" } }),
        context: routeContext(services, who),
        params: {},
      }) as Promise<unknown>,
    );

  it("answers bad input with 400 and field errors, saves good input and shows it again", async () => {
    const vy = await createMember(services.db, { displayName: "Hồ Thị Vy", accountManagerId: hoa.id });
    const refused = await post(vy, [["mode", "window"], ["from", "18:00"], ["to", "9:00"]]);
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ errors: { weekdays: ["contactHours.noWeekday"], to: ["contactHours.timeInvalid"] }, values: { mode: "window", from: "18:00" } });
    expect(await getContactHours(services.db, vy.id)).toBeNull();

    const saved = await post(vy, [["mode", "window"], ["weekdays", "1"], ["weekdays", "3"], ["from", "18:00"], ["to", "21:30"]]);
    expect(saved).toMatchObject({ status: 200, data: { contactHoursSaved: true } });
    const page = await routeAnswer(() => profileLoader({ request: new Request(`${ORIGIN}/profile`), context: routeContext(services, vy), params: {} }) as Promise<unknown>);
    expect(page.data).toMatchObject({ emailHours: { mode: "window", weekdays: [1, 3], from: "18:00", to: "21:30" } });
  });
});
