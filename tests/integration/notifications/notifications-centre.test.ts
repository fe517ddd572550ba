/**
 * The notification centre: the bell, its unread count pushed live, the
 * per-kind choice of channel, and the one-click unsubscribe link in emails.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { createOutboxDispatcher, type OutboxDispatcher } from "../../../app/modules/outbox/outbox.server.ts";
import {
  countUnread,
  createUnsubscribeToken,
  describeUnsubscribeToken,
  getNotificationSettings,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  requestNotification,
  setNotificationChannel,
  unsubscribe,
  type NotificationRequest,
} from "../../../app/modules/notifications/notifications.server.ts";
import type { NotificationChannelName } from "../../../app/modules/notifications/kinds.ts";
import { changeAccountManager } from "../../../app/modules/members/account-manager.server.ts";
import { setPreference } from "../../../app/modules/members/preferences.server.ts";
import { hmac } from "../../../app/modules/auth/tokens.server.ts";
import { createAdmin, createMember, createStaff, type Person } from "../../factories/actors.ts";
import { TEST_PUBLIC_URL, servicesForThisFile } from "../../support/services.ts";
import { MINUTE, movableClock } from "../../support/clock.ts";
import { listenToRealtime, notificationHandlers, recordingMailer, type Emit } from "../../support/relationship.ts";

const services = servicesForThisFile();
let mailer: ReturnType<typeof recordingMailer>;
let dispatcher: OutboxDispatcher;
let emits: Emit[];
let admin: Person;
let mai: Person;

beforeAll(async () => {
  services.clock = movableClock(new Date(Date.now() + MINUTE));
  // The production handlers over the real mailer, which also tells us the headers it was given.
  mailer = recordingMailer(services.mailer);
  dispatcher = createOutboxDispatcher({
    db: services.db,
    clock: services.clock,
    logger: pino({ level: "silent" }),
    handlers: notificationHandlers(services, mailer),
  });
  emits = listenToRealtime(services);
  admin = await createAdmin(services.db);
  mai = await createStaff(services.db, { displayName: "Nguyễn Thị Mai" });
});

async function notify(request: NotificationRequest) {
  await services.db.$transaction((tx) => requestNotification(tx, request));
  await dispatcher.drainNow();
}

const bellOf = (userId: string) => services.db.notification.findMany({ where: { userId }, orderBy: { id: "asc" } });
const mailsTo = (email: string) => services.db.mailMessage.findMany({ where: { to: email }, orderBy: { createdAt: "asc" } });
const unsubscribeTokenIn = (text: string) => {
  const link = text.match(/https?:\/\/\S+\/unsubscribe\?token=\S+/)?.[0];
  return link ? new URL(link).searchParams.get("token") : null;
};

describe("each member chooses how each kind of notice reaches them", () => {
  it("starts from each kind's default: account-manager news by email, staff notes in the app", async () => {
    const member = await createMember(services.db);
    const settings = Object.fromEntries((await getNotificationSettings(services.db, member.id, "member")).map((s) => [s.kind, s.channel]));
    expect(settings).toMatchObject({ "account_manager.changed": "email", "preference.recorded_by_staff": "in_app" });
    // Kinds only staff receive are not offered to members; staff see them.
    expect(Object.keys(settings)).not.toContain("task.due");
    expect((await getNotificationSettings(services.db, mai.id, "staff")).map((s) => s.kind)).toEqual(expect.arrayContaining(["task.due", "chat.member_message"]));

    await changeAccountManager(services, admin.actor, { memberId: member.id, managerId: mai.id });
    await setPreference(services, mai.actor, { key: "packaging", value: "gift", memberId: member.id });
    await dispatcher.drainNow();
    expect((await bellOf(member.id)).map((n) => n.kind)).toEqual(["account_manager.changed", "preference.recorded_by_staff"]);
    expect((await mailsTo(member.email)).map((m) => m.subject)).toEqual([
      member.locale === "en" ? "Nguyễn Thị Mai is now your account manager" : "Nguyễn Thị Mai hiện là người quản lý tài khoản của bạn",
    ]);
  });

  const cases: { channel: NotificationChannelName; bell: number; mail: number }[] = [
    { channel: "off", bell: 0, mail: 0 },
    { channel: "in_app", bell: 1, mail: 0 },
    { channel: "email", bell: 1, mail: 1 },
  ];
  it.each(cases)("set to $channel: $bell bell entry, $mail email", async ({ channel, bell, mail }) => {
    const member = await createMember(services.db, { locale: "en" });
    await setNotificationChannel(services, { id: member.id, role: "member" as const }, { kind: "preference.recorded_by_staff", channel });
    // The other kinds keep their own setting.
    await setNotificationChannel(services, { id: member.id, role: "member" as const }, { kind: "account_manager.changed", channel: "off" });

    await notify({ userId: member.id, kind: "preference.recorded_by_staff", data: { key: "delivery_window" }, link: "/profile#remember" });
    expect(await bellOf(member.id)).toHaveLength(bell);
    expect(await countUnread(services.db, member.id)).toBe(bell);
    const kept = await mailsTo(member.email);
    expect(kept).toHaveLength(mail);
    expect(mailer.sent.filter((m) => m.to === member.email)).toHaveLength(mail);
    if (mail) {
      expect(kept[0]!.subject).toBe("Your account manager noted a preference: delivery_window");
      expect(kept[0]!.text).toContain(`${TEST_PUBLIC_URL}/profile#remember`);
      expect(unsubscribeTokenIn(kept[0]!.text)).toBeTruthy();
    }
  });

  it("every email carries a signed one-click List-Unsubscribe header, the same link as in its text", async () => {
    const member = await createMember(services.db);
    await notify({ userId: member.id, kind: "account.security", link: "/profile/security" });
    const [sent] = mailer.sent.filter((m) => m.to === member.email);
    const [kept] = await mailsTo(member.email);
    expect(sent!.headers).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    const headerLink = sent!.headers!["List-Unsubscribe"]!.replace(/^<|>$/g, "");
    expect(headerLink.startsWith(`${TEST_PUBLIC_URL}/unsubscribe?token=`)).toBe(true);
    expect(kept!.text).toContain(headerLink);
  });

  it("a member who has deleted their account is sent nothing that was still queued", async () => {
    const member = await createMember(services.db);
    await services.db.$transaction((tx) => requestNotification(tx, { userId: member.id, kind: "account.security" }));
    await services.db.user.update({ where: { id: member.id }, data: { deletedAt: new Date() } });
    await dispatcher.drainNow();
    expect(await bellOf(member.id)).toHaveLength(0);
    expect(await mailsTo(member.email)).toHaveLength(0);
  });
});

describe("the bell", () => {
  it("counts unread notices, pushes the count live, and marks one or all read", async () => {
    const member = await createMember(services.db);
    const pushes = () => emits.filter((e) => e.to === `user:${member.id}` && e.event === "notification:count").map((e) => e.payload);
    for (const key of ["packaging", "invoice_format", "notes"]) {
      await notify({ userId: member.id, kind: "preference.recorded_by_staff", data: { key } });
    }
    expect(await countUnread(services.db, member.id)).toBe(3);
    expect(pushes()).toEqual([{ unread: 1 }, { unread: 2 }, { unread: 3 }]);

    const page = await listNotifications(services.db, member.id, { limit: 2 });
    expect(page.items.map((n) => (n.data as { key: string }).key)).toEqual(["notes", "invoice_format"]);
    const rest = await listNotifications(services.db, member.id, { before: page.nextCursor, limit: 2 });
    expect(rest.items.map((n) => (n.data as { key: string }).key)).toEqual(["packaging"]);
    expect(rest.nextCursor).toBeNull();

    await markNotificationRead(services, { id: member.id, role: "member" as const }, { id: page.items[0]!.id });
    expect(await countUnread(services.db, member.id)).toBe(2);
    // Marking it again changes nothing.
    await markNotificationRead(services, { id: member.id, role: "member" as const }, { id: page.items[0]!.id });
    expect(await countUnread(services.db, member.id)).toBe(2);
    await markAllNotificationsRead(services, { id: member.id, role: "member" as const }, {});
    expect(await countUnread(services.db, member.id)).toBe(0);
    expect(pushes().slice(3)).toEqual([{ unread: 2 }, { unread: 2 }, { unread: 0 }]);
    expect((await bellOf(member.id)).every((n) => n.readAt !== null)).toBe(true);
  });

  it("a member cannot mark another member's notices read, one or all", async () => {
    const owner = await createMember(services.db);
    const stranger = await createMember(services.db);
    await notify({ userId: owner.id, kind: "account.security" });
    await notify({ userId: stranger.id, kind: "account.security" });
    const [note] = await bellOf(owner.id);

    await markNotificationRead(services, { id: stranger.id, role: "member" as const }, { id: note!.id });
    expect(await countUnread(services.db, owner.id)).toBe(1);
    expect((await services.db.notification.findUniqueOrThrow({ where: { id: note!.id } })).readAt).toBeNull();
    await markAllNotificationsRead(services, { id: stranger.id, role: "member" as const }, {});
    expect(await countUnread(services.db, owner.id)).toBe(1);
    expect(await countUnread(services.db, stranger.id)).toBe(0);
    // The stranger's own count was pushed to the stranger only.
    expect(emits.filter((e) => e.to === `user:${owner.id}`).map((e) => e.payload)).toEqual([{ unread: 1 }]);
  });
});

describe("one-click unsubscribe from an email", () => {
  async function emailedToken(member: Person) {
    await changeAccountManager(services, admin.actor, { memberId: member.id, managerId: mai.id });
    await dispatcher.drainNow();
    const [mail] = await mailsTo(member.email);
    const token = unsubscribeTokenIn(mail!.text);
    expect(token).toBeTruthy();
    return token!;
  }

  it("works without logging in, switches that kind to in-app only, and says so when replayed", async () => {
    const member = await createMember(services.db);
    const james = await createStaff(services.db, { displayName: "James Carter" });
    const token = await emailedToken(member);
    // Nobody is logged in: the member has no session at all, and the token alone is enough.
    expect(await services.db.session.count({ where: { userId: member.id } })).toBe(0);
    expect(await describeUnsubscribeToken(services.db, services.secrets.app, token)).toEqual({ state: "usable", kind: "account_manager.changed" });

    expect(await unsubscribe(services, null, { token })).toEqual({ ok: true, kind: "account_manager.changed" });
    const settings = Object.fromEntries((await getNotificationSettings(services.db, member.id, "member")).map((s) => [s.kind, s.channel]));
    expect(settings).toMatchObject({ "account_manager.changed": "in_app", "account.security": "email" });

    expect(await unsubscribe(services, null, { token })).toEqual({ ok: false, error: "used" });
    expect(await describeUnsubscribeToken(services.db, services.secrets.app, token)).toEqual({ state: "used" });

    // The next change of manager rings the bell but sends no email.
    await changeAccountManager(services, admin.actor, { memberId: member.id, managerId: james.id });
    await dispatcher.drainNow();
    expect(await mailsTo(member.email)).toHaveLength(1);
    expect((await bellOf(member.id)).map((n) => (n.data as { name: string }).name)).toEqual(["Nguyễn Thị Mai", "James Carter"]);
  });

  it("refuses a tampered, forged or mangled token and changes nothing", async () => {
    const member = await createMember(services.db);
    const token = await emailedToken(member);
    const [body, signature] = token.split(".") as [string, string];
    const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { u: string; k: string; n: string };

    const otherKind = Buffer.from(JSON.stringify({ ...payload, k: "account.security" })).toString("base64url");
    const otherMember = Buffer.from(JSON.stringify({ ...payload, u: mai.id })).toString("base64url");
    const flipped = signature.slice(0, -1) + (signature.endsWith("A") ? "B" : "A");
    const attempts = [
      `${body}.${flipped}`, // a signature off by one character
      `${otherKind}.${signature}`, // another kind under the original signature
      `${otherMember}.${signature}`, // someone else under the original signature
      createUnsubscribeToken("not-our-secret-not-our-secret-00000000", member.id, "account_manager.changed"),
      `${body}.${hmac(services.secrets.app, body)}`, // signed, but not as an unsubscribe link
      body,
      "",
      "garbage.garbage",
    ];
    for (const attempt of attempts) {
      expect(await unsubscribe(services, null, { token: attempt })).toEqual({ ok: false, error: "invalid" });
      expect(await describeUnsubscribeToken(services.db, services.secrets.app, attempt)).toEqual({ state: "invalid" });
    }
    expect(await services.db.notificationSetting.count({ where: { userId: { in: [member.id, mai.id] } } })).toBe(0);
    // The genuine token is still good after all that.
    expect(await unsubscribe(services, null, { token })).toEqual({ ok: true, kind: "account_manager.changed" });
  });
});
