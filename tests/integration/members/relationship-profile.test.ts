import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConsents, listPreferences, updateProfile } from "../../../app/modules/members/profile.server.ts";
import { changeAccountManager } from "../../../app/modules/members/account-manager.server.ts";
import { preferenceHistory, removePreference, setPreference } from "../../../app/modules/members/preferences.server.ts";
import { setConsents } from "../../../app/modules/members/consent.server.ts";
import { ProfileSchema } from "../../../app/modules/members/profile-schema.ts";
import { uploadAvatar } from "../../../app/modules/members/avatar.server.ts";
import { deleteOwnAccount, exportMemberData } from "../../../app/modules/members/my-data.server.ts";
import { listTimeline } from "../../../app/modules/timeline/touchpoints.server.ts";
import {
  countUnread,
  createUnsubscribeToken,
  markNotificationRead,
  unsubscribe,
} from "../../../app/modules/notifications/notifications.server.ts";
import { logIn } from "../../../app/modules/auth/accounts.server.ts";
import { signUp } from "../../../app/modules/auth/signup.server.ts";
import { createUser } from "../../factories/users.ts";
import { createTestServices } from "../../support/services.ts";
import type { BuiltServices } from "../../../server/services.ts";

let services: BuiltServices & { dispose(): Promise<void> };
let admin: { id: string; role: "admin" };
let manager: { id: string; role: "staff" };
let otherStaff: { id: string; role: "staff" };

beforeAll(async () => {
  services = await createTestServices();
  const a = await createUser(services.db, { role: "admin", passwordHash: "x" });
  const s = await createUser(services.db, { role: "staff", passwordHash: "x", displayName: "Nguyễn Thị Mai" });
  const o = await createUser(services.db, { role: "staff", passwordHash: "x" });
  admin = { id: a.id, role: "admin" };
  manager = { id: s.id, role: "staff" };
  otherStaff = { id: o.id, role: "staff" };
});
afterAll(async () => {
  await services.dispose();
});

async function newMember(password?: string) {
  const m = await createUser(services.db, { accountManagerId: manager.id, ...(password ? { password } : { passwordHash: "x" }) });
  return { ...m, actor: { id: m.id, role: "member" as const } };
}
const kinds = async (memberId: string) => (await listTimeline(services.db, memberId, { limit: 100 })).items.map((i) => i.kind);

describe("what we remember about you", () => {
  it("keeps the source of each preference and its history, and lets the member correct the manager", async () => {
    const m = await newMember();
    expect(await setPreference(services, manager, { key: "invoice_format", value: "e_invoice", memberId: m.id })).toEqual({ ok: true, action: "set" });
    expect(await setPreference(services, m.actor, { key: "invoice_format", value: "pdf", memberId: m.id })).toEqual({ ok: true, action: "changed" });
    expect(await removePreference(services, m.actor, { memberId: m.id, key: "invoice_format" })).toEqual({ ok: true });

    const history = await preferenceHistory(services.db, m.id);
    expect(history.map((h) => [h.action, h.source, h.newValue])).toEqual([
      ["removed", "member", null],
      ["changed", "member", "pdf"],
      ["set", "staff", "e_invoice"],
    ]);
    expect(await kinds(m.id)).toEqual(["preference.removed", "preference.changed", "preference.set"]);
    const audit = await services.db.auditLog.findMany({ where: { targetMemberId: m.id } });
    expect(audit.map((a) => a.action)).toEqual(["member.preference_set"]);
  });

  it("tells the member when their manager notes something, through the outbox", async () => {
    const m = await newMember();
    await setPreference(services, manager, { key: "packaging", value: "gift", memberId: m.id });
    await services.dispatcher.drainNow();
    expect(await countUnread(services.db, m.id)).toBe(1);
    const note = await services.db.notification.findFirstOrThrow({ where: { userId: m.id } });
    expect(note.kind).toBe("preference.recorded_by_staff");
    // Another member cannot mark it read.
    const stranger = await newMember();
    await markNotificationRead(services, { id: stranger.id, role: "member" as const }, { id: note.id });
    expect(await countUnread(services.db, m.id)).toBe(1);
    await markNotificationRead(services, { id: m.id, role: "member" as const }, { id: note.id });
    expect(await countUnread(services.db, m.id)).toBe(0);
  });

  it("refuses unknown keys and invalid choices, and writes nothing", async () => {
    const m = await newMember();
    const unknown = await setPreference(services, m.actor, { key: "favourite_colour", value: "blue", memberId: m.id });
    expect(unknown).toMatchObject({ ok: false, fieldErrors: { key: ["pref.unknownKey"] } });
    const invalid = await setPreference(services, m.actor, { key: "delivery_window", value: "midnight", memberId: m.id });
    expect(invalid).toMatchObject({ ok: false, fieldErrors: { value: ["pref.invalidChoice"] } });
    expect(await listPreferences(services.db, m.id)).toEqual([]);
    expect(await kinds(m.id)).toEqual([]);
  });

  it("only the member, their manager or an admin may touch their data", async () => {
    const m = await newMember();
    const stranger = await newMember();
    // Someone else's member is "not found", never "forbidden": the answer does not tell that they exist.
    expect(await setPreference(services, stranger.actor, { key: "notes", value: "x", memberId: m.id })).toEqual({ ok: false, error: "notFound" });
    expect(await setPreference(services, otherStaff, { key: "notes", value: "x", memberId: m.id })).toEqual({ ok: false, error: "notFound" });
    expect(await listPreferences(services.db, m.id)).toEqual([]);
    expect((await setPreference(services, admin, { key: "notes", value: "VIP", memberId: m.id })).ok).toBe(true);
  });
});

describe("profile and consent", () => {
  it("records which fields changed, and nothing when nothing did", async () => {
    const m = await newMember();
    const input = ProfileSchema.parse({
      displayName: "Lê Thu",
      company: "Hoa Sen",
      phone: "+84 912 345 678",
      timezone: "Asia/Ho_Chi_Minh",
      locale: "vi",
      contactChannel: "phone",
    });
    await updateProfile(services, m.actor, { ...input, memberId: m.id });
    await updateProfile(services, m.actor, { ...input, memberId: m.id });
    const items = (await listTimeline(services.db, m.id)).items;
    expect(items).toHaveLength(1);
    expect(items[0]!.data).toMatchObject({ fields: "displayName,company,phone,contactChannel" });
  });

  it("refuses a bad phone number and an unknown time zone", () => {
    const base = { displayName: "A B", timezone: "Asia/Ho_Chi_Minh", locale: "en", contactChannel: "email" };
    expect(ProfileSchema.safeParse({ ...base, phone: "call me maybe" }).success).toBe(false);
    expect(ProfileSchema.safeParse({ ...base, timezone: "Mars/Olympus" }).success).toBe(false);
  });

  it("keeps consent as an append-only record whose latest entry counts", async () => {
    const m = await newMember();
    await setConsents(services, m.actor, { newsletter: true, product_updates: false, offers: false, community_digest: true, surveys: false, memberId: m.id });
    await setConsents(services, m.actor, { newsletter: false, product_updates: false, offers: false, community_digest: true, surveys: true, memberId: m.id });
    const current = await getConsents(services.db, m.id);
    expect(Object.fromEntries(current.map((c) => [c.channel, c.granted]))).toEqual({ newsletter: false, product_updates: false, offers: false, community_digest: true, surveys: true });
    // The first save records an answer for every topic (five), the second the two that changed.
    expect(await services.db.consentEvent.count({ where: { memberId: m.id } })).toBe(7);
    expect((await kinds(m.id)).filter((k) => k === "consent.changed")).toHaveLength(7);
  });
});

describe("account managers", () => {
  it("only an admin reassigns; the history, timeline, audit and the member's notice follow", async () => {
    const m = await newMember();
    expect(await changeAccountManager(services, manager, { memberId: m.id, managerId: otherStaff.id })).toEqual({ ok: false, error: "notAllowed" });
    expect(await changeAccountManager(services, admin, { memberId: m.id, managerId: otherStaff.id })).toEqual({ ok: true });
    expect((await services.db.user.findUniqueOrThrow({ where: { id: m.id } })).accountManagerId).toBe(otherStaff.id);
    expect(await kinds(m.id)).toContain("account_manager.changed");
    expect(await services.db.auditLog.count({ where: { targetMemberId: m.id, action: "member.account_manager_changed" } })).toBe(1);
    await services.dispatcher.drainNow();
    expect(await services.db.notification.count({ where: { userId: m.id, kind: "account_manager.changed" } })).toBe(1);
  });
});

describe("notification emails and unsubscribing", () => {
  it("an emailed notice carries a one-click unsubscribe link that works once, without logging in", async () => {
    const m = await newMember();
    await changeAccountManager(services, admin, { memberId: m.id, managerId: otherStaff.id });
    await services.dispatcher.drainNow();
    const mail = await services.db.mailMessage.findFirstOrThrow({ where: { to: m.email }, orderBy: { createdAt: "desc" } });
    const link = mail.text.match(/https?:\/\/\S+\/unsubscribe\?token=\S+/)?.[0];
    expect(link).toBeTruthy();
    const token = new URL(link!).searchParams.get("token")!;
    expect(await unsubscribe(services, null, { token })).toEqual({ ok: true, kind: "account_manager.changed" });
    expect(await unsubscribe(services, null, { token })).toEqual({ ok: false, error: "used" });
    const forged = createUnsubscribeToken("another-secret-another-secret-1234", m.id, "account_manager.changed");
    expect(await unsubscribe(services, null, { token: forged })).toEqual({ ok: false, error: "invalid" });
    // Now only in the app:
    await changeAccountManager(services, admin, { memberId: m.id, managerId: manager.id });
    const mailsBefore = await services.db.mailMessage.count({ where: { to: m.email } });
    await services.dispatcher.drainNow();
    expect(await services.db.mailMessage.count({ where: { to: m.email } })).toBe(mailsBefore);
    expect(await services.db.notification.count({ where: { userId: m.id } })).toBe(2);
  });
});

describe("my data", () => {
  it("exports everything about the member, records it, and limits how often", async () => {
    const m = await newMember();
    await setPreference(services, m.actor, { key: "shoe_size", value: "42", memberId: m.id });
    const result = await exportMemberData(services, m.actor, { memberId: m.id }, { ip: "203.0.113.5" });
    if (!result.ok) throw new Error("export refused");
    expect(result.data.profile.email).toBe(m.email);
    expect(result.data.preferences).toMatchObject([{ key: "shoe_size", value: "42", source: "member" }]);
    expect(result.data.touchpoints.map((t) => t.kind)).toContain("preference.set");
    expect(Array.isArray(result.data.posts)).toBe(true);
    expect(await kinds(m.id)).toContain("data.exported");
    expect(await services.db.auditLog.count({ where: { targetMemberId: m.id, action: "member.data_exported" } })).toBe(1);
    for (let i = 0; i < 4; i++) await exportMemberData(services, m.actor, { memberId: m.id }, { ip: "203.0.113.5" });
    expect(await exportMemberData(services, m.actor, { memberId: m.id }, { ip: "203.0.113.5" })).toMatchObject({ ok: false, error: "rateLimited" });
  });

  it("deleting the account needs the password, erases personal data and ends log-in", async () => {
    const address = `leaving-${Date.now()}@example.test`;
    const signed = await signUp(services, { email: address, displayName: "Sắp Rời Đi", password: "goodbye for now", locale: "vi" }, { ip: "203.0.113.9", userAgent: null });
    if (!signed.ok) throw new Error("sign-up failed");
    const actor = { id: signed.userId, role: "member" as const };
    await setPreference(services, actor, { key: "notes", value: "private", memberId: actor.id });
    expect(await deleteOwnAccount(services, actor, { password: "wrong" }, { ip: "203.0.113.9" })).toMatchObject({ ok: false, error: "wrongPassword" });
    expect(await services.db.memberPreference.count({ where: { memberId: actor.id } })).toBe(1);

    expect(await deleteOwnAccount(services, actor, { password: "goodbye for now" }, { ip: "203.0.113.9" })).toEqual({ ok: true });
    const row = await services.db.user.findUniqueOrThrow({ where: { id: actor.id } });
    expect(row.deletedAt).not.toBeNull();
    expect(row.email).not.toBe(address);
    expect(row.displayName).toBe("");
    expect(row.passwordHash).toBeNull();
    expect(await services.db.memberPreference.count({ where: { memberId: actor.id } })).toBe(0);
    expect(await services.db.session.count({ where: { userId: actor.id } })).toBe(0);
    expect(await logIn(services, { email: address, password: "goodbye for now" }, { ip: "203.0.113.9", userAgent: null })).toEqual({ ok: false, error: "invalid" });
  });
});

describe("avatars", () => {
  it("re-encodes an accepted image to a 256×256 WebP and replaces the old one", async () => {
    const m = await newMember();
    const png = await sharp({ create: { width: 600, height: 400, channels: 3, background: "#0f5c4d" } }).png().toBuffer();
    const first = await uploadAvatar(services, m.actor, { memberId: m.id, file: { bytes: png } });
    if (!first.ok) throw new Error(first.error);
    const stored = await services.storage.get(first.key);
    const meta = await sharp(stored!.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 256, 256]);

    const second = await uploadAvatar(services, m.actor, { memberId: m.id, file: { bytes: png } });
    if (!second.ok) throw new Error(second.error);
    expect(await services.storage.get(first.key)).toBeNull();
    expect((await services.db.user.findUniqueOrThrow({ where: { id: m.id } })).avatarKey).toBe(second.key);
  });

  it("refuses oversized and wrong-type files and changes nothing", async () => {
    const m = await newMember();
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#fff" } }).gif().toBuffer();
    expect(await uploadAvatar(services, m.actor, { memberId: m.id, file: { bytes: gif } })).toEqual({ ok: false, error: "wrongType" });
    expect(await uploadAvatar(services, m.actor, { memberId: m.id, file: { bytes: Buffer.from("not an image at all") } })).toEqual({ ok: false, error: "wrongType" });
    expect(await uploadAvatar(services, m.actor, { memberId: m.id, file: { bytes: Buffer.alloc(2 * 1024 * 1024 + 1) } })).toEqual({ ok: false, error: "tooLarge" });
    expect((await services.db.user.findUniqueOrThrow({ where: { id: m.id } })).avatarKey).toBeNull();
    expect(await kinds(m.id)).toEqual([]);
  });
});

describe("the audit log", () => {
  it("cannot be edited or deleted, even with SQL", async () => {
    const m = await newMember();
    await setPreference(services, manager, { key: "notes", value: "audited", memberId: m.id });
    await expect(services.db.$executeRaw`UPDATE "AuditLog" SET "action" = 'nothing' WHERE "targetMemberId" = ${m.id}`).rejects.toThrow();
    await expect(services.db.$executeRaw`DELETE FROM "AuditLog" WHERE "targetMemberId" = ${m.id}`).rejects.toThrow();
    expect(await services.db.auditLog.count({ where: { targetMemberId: m.id } })).toBe(1);
  });
});

describe("sign-up joins the relationship", () => {
  it("records the sign-up and gives the newcomer the least busy account manager", async () => {
    const address = `newcomer-${Date.now()}@example.test`;
    const counts = await services.db.user.groupBy({ by: ["accountManagerId"], where: { accountManagerId: { not: null } }, _count: true });
    const busiest = counts.find((c) => c.accountManagerId === manager.id)?._count ?? 0;
    expect(busiest).toBeGreaterThan(0);
    const result = await signUp(services, { email: address, displayName: "Người Mới", password: "một hai ba bốn năm", locale: "vi" }, { ip: "203.0.113.77", userAgent: null });
    if (!result.ok) throw new Error("sign-up failed");
    const user = await services.db.user.findUniqueOrThrow({ where: { id: result.userId } });
    // otherStaff has fewer members than manager in this file.
    expect([otherStaff.id, admin.id]).not.toContain(undefined);
    expect(user.accountManagerId).not.toBe(manager.id);
    expect(await kinds(user.id)).toEqual(expect.arrayContaining(["account.signed_up", "account_manager.changed"]));
  });
});
