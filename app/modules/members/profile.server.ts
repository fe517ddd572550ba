/**
 * Self-service profile, "what we remember about you", consent and the
 * account manager. Every write records its touchpoint in the same transaction.
 */
import type { Services, Db } from "../services.server";
import { recordTouchpoint } from "../timeline/touchpoints.server";
import { recordAudit } from "../audit/audit.server";
import { requestNotification } from "../notifications/notifications.server";
import { afterManagerChange, recordManagerChange } from "../chat/chat.server";
import { newSortableId } from "../ids.server";
import { requireMemberAccess, type Actor, AccessDenied } from "./access.server";
import { ProfileSchema, type ProfileInput, CONSENT_CHANNELS, type ConsentChannel } from "./profile-schema";
import { isUsernameTaken } from "./usernames.server";
import { PreferenceInputSchema, isPreferenceKey, type PreferenceKey } from "./preference-catalogue";

const PROFILE_FIELDS = ["displayName", "username", "bio", "company", "phone", "timezone", "locale", "contactChannel", "contactHours"] as const;

export async function getProfile(db: Db, memberId: string) {
  return db.user.findUniqueOrThrow({
    where: { id: memberId },
    select: {
      id: true,
      email: true,
      displayName: true,
      username: true,
      role: true,
      avatarKey: true,
      bio: true,
      company: true,
      phone: true,
      timezone: true,
      locale: true,
      contactChannel: true,
      contactHours: true,
      createdAt: true,
      emailVerifiedAt: true,
      accountManager: { select: { id: true, displayName: true, avatarKey: true } },
    },
  });
}

export async function updateProfile(
  services: Services,
  actor: Actor,
  memberId: string,
  input: ProfileInput,
): Promise<{ ok: true } | { ok: false; error: "usernameTaken" }> {
  const access = await requireMemberAccess(services.db, actor, memberId);
  const parsed = ProfileSchema.parse(input);
  if (parsed.username && (await isUsernameTaken(services.db, parsed.username, memberId))) return { ok: false, error: "usernameTaken" };
  const now = services.clock.now();
  const saved = await services.db
    .$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: memberId }, select: Object.fromEntries(PROFILE_FIELDS.map((f) => [f, true])) as Record<(typeof PROFILE_FIELDS)[number], true> });
    const changed = PROFILE_FIELDS.filter((f) => parsed[f] !== undefined && (before as Record<string, unknown>)[f] !== parsed[f]);
    if (changed.length === 0) return true;
    await tx.user.update({ where: { id: memberId }, data: parsed });
    await recordTouchpoint(tx, {
      memberId,
      kind: "profile.updated",
      actorId: actor.id,
      data: { fields: changed.join(",") },
      at: now,
    });
    if (access !== "self") {
      await recordAudit(tx, { actorId: actor.id, action: "member.profile_updated", targetMemberId: memberId, data: { fields: changed.join(",") }, at: now });
    }
    return true;
  })
    .catch((error: { code?: string }) => {
      if (error.code === "P2002") return false; // someone took the username a moment ago
      throw error;
    });
  return saved ? { ok: true } : { ok: false, error: "usernameTaken" };
}

export async function setAvatarKey(services: Services, actor: Actor, memberId: string, avatarKey: string | null) {
  await requireMemberAccess(services.db, actor, memberId);
  const now = services.clock.now();
  const previous = await services.db.$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: memberId }, select: { avatarKey: true } });
    await tx.user.update({ where: { id: memberId }, data: { avatarKey } });
    await recordTouchpoint(tx, {
      memberId,
      kind: "profile.avatar_changed",
      actorId: actor.id,
      data: { removed: avatarKey === null },
      at: now,
    });
    return before.avatarKey;
  });
  if (previous && previous !== avatarKey) await services.storage.delete(previous).catch(() => {});
}

// ---- What we remember about you ----

export async function listPreferences(db: Db, memberId: string) {
  return db.memberPreference.findMany({
    where: { memberId },
    orderBy: { key: "asc" },
    select: { id: true, key: true, value: true, source: true, updatedAt: true, updatedById: true },
  });
}

export async function preferenceHistory(db: Db, memberId: string, limit = 50) {
  return db.memberPreferenceChange.findMany({
    where: { memberId },
    orderBy: { changedAt: "desc" },
    take: limit,
    select: { id: true, key: true, action: true, oldValue: true, newValue: true, source: true, changedAt: true },
  });
}

export type PreferenceResult =
  | { ok: true; action: "set" | "changed" | "unchanged" }
  | { ok: false; error: "invalid"; fieldErrors: Record<string, string[]> };

export async function setPreference(
  services: Services,
  actor: Actor,
  memberId: string,
  input: { key: string; value: string },
): Promise<PreferenceResult> {
  const access = await requireMemberAccess(services.db, actor, memberId);
  const parsed = PreferenceInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: "invalid", fieldErrors: parsed.error.flatten().fieldErrors as Record<string, string[]> };
  }
  const key = parsed.data.key as PreferenceKey;
  const value = parsed.data.value;
  const source = access === "self" ? "member" : "staff";
  const now = services.clock.now();
  const action = await services.db.$transaction(async (tx) => {
    const existing = await tx.memberPreference.findUnique({
      where: { memberId_key: { memberId, key } },
      select: { value: true, source: true },
    });
    if (existing && existing.value === value && existing.source === source) return "unchanged" as const;
    await tx.memberPreference.upsert({
      where: { memberId_key: { memberId, key } },
      create: { id: newSortableId(now), memberId, key, value, source, updatedById: actor.id, createdAt: now, updatedAt: now },
      update: { value, source, updatedById: actor.id, updatedAt: now },
    });
    const action = existing ? ("changed" as const) : ("set" as const);
    await tx.memberPreferenceChange.create({
      data: { id: newSortableId(now), memberId, key, action, oldValue: existing?.value ?? null, newValue: value, source, actorId: actor.id, changedAt: now },
    });
    await recordTouchpoint(tx, {
      memberId,
      kind: action === "set" ? "preference.set" : "preference.changed",
      actorId: actor.id,
      subject: { type: "preference", id: key },
      data: { key, value, source },
      at: now,
    });
    if (source === "staff") {
      await recordAudit(tx, { actorId: actor.id, action: "member.preference_set", targetMemberId: memberId, data: { key }, at: now });
      await requestNotification(tx, {
        userId: memberId,
        kind: "preference.recorded_by_staff",
        data: { key },
        link: "/profile#remember",
      });
    }
    return action;
  });
  if (action !== "unchanged") services.outbox.kick();
  return { ok: true, action };
}

export async function removePreference(services: Services, actor: Actor, memberId: string, key: string) {
  const access = await requireMemberAccess(services.db, actor, memberId);
  if (!isPreferenceKey(key)) return { ok: false as const, error: "unknownKey" as const };
  const source = access === "self" ? "member" : "staff";
  const now = services.clock.now();
  const removed = await services.db.$transaction(async (tx) => {
    const existing = await tx.memberPreference.findUnique({ where: { memberId_key: { memberId, key } }, select: { value: true } });
    if (!existing) return false;
    await tx.memberPreference.delete({ where: { memberId_key: { memberId, key } } });
    await tx.memberPreferenceChange.create({
      data: { id: newSortableId(now), memberId, key, action: "removed", oldValue: existing.value, newValue: null, source, actorId: actor.id, changedAt: now },
    });
    await recordTouchpoint(tx, {
      memberId,
      kind: "preference.removed",
      actorId: actor.id,
      subject: { type: "preference", id: key },
      data: { key, source },
      at: now,
    });
    if (source === "staff") {
      await recordAudit(tx, { actorId: actor.id, action: "member.preference_removed", targetMemberId: memberId, data: { key }, at: now });
    }
    return true;
  });
  return removed ? { ok: true as const } : { ok: false as const, error: "notFound" as const };
}

// ---- Consent (append-only) ----

export async function getConsents(db: Db, memberId: string) {
  const events = await db.consentEvent.findMany({
    where: { memberId },
    orderBy: { recordedAt: "desc" },
    select: { channel: true, granted: true, source: true, recordedAt: true },
  });
  return CONSENT_CHANNELS.map((channel) => {
    const latest = events.find((e) => e.channel === channel);
    return { channel, granted: latest?.granted ?? false, source: latest?.source ?? null, recordedAt: latest?.recordedAt ?? null };
  });
}

export async function consentHistory(db: Db, memberId: string) {
  return db.consentEvent.findMany({
    where: { memberId },
    orderBy: { recordedAt: "desc" },
    select: { id: true, channel: true, granted: true, source: true, recordedAt: true },
  });
}

export async function setConsents(
  services: Services,
  actor: Actor,
  memberId: string,
  wanted: Record<ConsentChannel, boolean>,
  source: "profile" | "signup" | "staff" = "profile",
) {
  const access = await requireMemberAccess(services.db, actor, memberId);
  if (access !== "self" && source !== "staff") throw new AccessDenied();
  const now = services.clock.now();
  const current = await getConsents(services.db, memberId);
  const changes = current.filter((c) => c.granted !== wanted[c.channel] || c.recordedAt === null);
  if (!changes.length) return { changed: 0 };
  await services.db.$transaction(async (tx) => {
    for (const change of changes) {
      const granted = wanted[change.channel];
      await tx.consentEvent.create({
        data: { id: newSortableId(now), memberId, channel: change.channel, granted, source, actorId: actor.id, recordedAt: now },
      });
      await recordTouchpoint(tx, {
        memberId,
        kind: "consent.changed",
        actorId: actor.id,
        data: { channel: change.channel, granted },
        at: now,
      });
    }
  });
  return { changed: changes.length };
}

// ---- Account manager ----

export async function changeAccountManager(services: Services, actor: Actor, memberId: string, managerId: string | null) {
  if (actor.role !== "admin") throw new AccessDenied("Only an admin assigns account managers.");
  const now = services.clock.now();
  const change = await services.db.$transaction(async (tx) => {
    if (managerId) {
      // Read under a share lock: a demotion of this manager (which locks the row for update and
      // counts their members, ADR 012) waits for this assignment, or this one sees the new role.
      const [manager] = await tx.$queryRaw<{ role: string; deletedAt: Date | null }[]>`SELECT "role", "deletedAt" FROM "User" WHERE "id" = ${managerId} FOR SHARE`;
      if (!manager || manager.deletedAt || (manager.role !== "staff" && manager.role !== "admin")) return "notStaff" as const;
    }
    const member = await tx.user.findUniqueOrThrow({
      where: { id: memberId },
      select: { accountManagerId: true, accountManager: { select: { displayName: true } } },
    });
    if (member.accountManagerId === managerId) return null;
    await tx.accountManagerAssignment.updateMany({ where: { memberId, endedAt: null }, data: { endedAt: now } });
    await tx.accountManagerAssignment.create({
      data: { id: newSortableId(now), memberId, managerId, assignedById: actor.id, startedAt: now },
    });
    const updated = await tx.user.update({
      where: { id: memberId },
      data: { accountManagerId: managerId },
      select: { accountManager: { select: { displayName: true } } },
    });
    await recordTouchpoint(tx, {
      memberId,
      kind: "account_manager.changed",
      actorId: actor.id,
      data: { from: member.accountManager?.displayName ?? null, to: updated.accountManager?.displayName ?? null },
      at: now,
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "member.account_manager_changed",
      targetMemberId: memberId,
      data: { managerId },
      at: now,
    });
    if (updated.accountManager) {
      await requestNotification(tx, {
        userId: memberId,
        kind: "account_manager.changed",
        data: { name: updated.accountManager.displayName },
        link: "/chat",
      });
    }
    if (managerId) {
      const who = await tx.user.findUniqueOrThrow({ where: { id: memberId }, select: { displayName: true } });
      await requestNotification(tx, { userId: managerId, kind: "account_manager.assigned", data: { name: who.displayName }, link: `/staff/members/${memberId}` });
    }
    // The conversation follows the member; they read there who answers now.
    const posted = await recordManagerChange(tx, { memberId, managerName: updated.accountManager?.displayName ?? null, now });
    return { previousManagerId: member.accountManagerId, posted };
  });
  if (change === "notStaff") return { ok: false as const, error: "notStaff" as const };
  if (change) await afterManagerChange(services, { memberId, newManagerId: managerId, ...change });
  services.outbox.kick();
  return { ok: true as const };
}

export async function accountManagerHistory(db: Db, memberId: string) {
  const rows = await db.accountManagerAssignment.findMany({
    where: { memberId },
    orderBy: { startedAt: "desc" },
    select: { id: true, managerId: true, startedAt: true, endedAt: true },
  });
  const managers = await db.user.findMany({
    where: { id: { in: rows.map((r) => r.managerId).filter((v): v is string => !!v) } },
    select: { id: true, displayName: true },
  });
  const names = Object.fromEntries(managers.map((m) => [m.id, m.displayName]));
  return rows.map((r) => ({ ...r, managerName: r.managerId ? (names[r.managerId] ?? null) : null }));
}
