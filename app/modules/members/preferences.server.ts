/**
 * "What we remember about you": preferences the member or their staff record,
 * each change kept in a history. A change by staff is audited and told to
 * the member.
 */
import { z } from "zod";
import type { Db } from "../services.server";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { requestNotification } from "../notifications/notifications.server";
import { newSortableId } from "../ids.server";
import { onMemberData, sourceOf } from "./member-ref.server";
import { PreferenceInputSchema, isPreferenceKey, type PreferenceKey } from "./preference-catalogue";

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

type PreferenceAction = "set" | "changed" | "unchanged";

export const setPreference = defineCommand({
  name: "member.set_preference",
  ...onMemberData,
  input: PreferenceInputSchema,
  async run({ tx, now, actor, touchpoint, audit }, { memberId, value, ...input }, member) {
    const key = input.key as PreferenceKey;
    const source = sourceOf(member);
    const where = { memberId_key: { memberId, key } };
    const existing = await tx.memberPreference.findUnique({ where, select: { value: true, source: true } });
    if (existing && existing.value === value && existing.source === source) return { ok: true, action: "unchanged" as PreferenceAction };
    await tx.memberPreference.upsert({
      where,
      create: { id: newSortableId(now), memberId, key, value, source, updatedById: actor.id, createdAt: now, updatedAt: now },
      update: { value, source, updatedById: actor.id, updatedAt: now },
    });
    const action: PreferenceAction = existing ? "changed" : "set";
    await tx.memberPreferenceChange.create({
      data: { id: newSortableId(now), memberId, key, action, oldValue: existing?.value ?? null, newValue: value, source, actorId: actor.id, changedAt: now },
    });
    await touchpoint({
      memberId,
      kind: existing ? "preference.changed" : "preference.set",
      actorId: actor.id,
      subject: { type: "preference", id: key },
      data: { key, value, source },
    });
    if (source === "staff") {
      await audit({ action: "member.preference_set", targetMemberId: memberId, data: { key } });
      await requestNotification(tx, { userId: memberId, kind: "preference.recorded_by_staff", data: { key }, link: "/profile#remember" });
    }
    return { ok: true, action };
  },
});

export const removePreference = defineCommand({
  name: "member.remove_preference",
  ...onMemberData,
  input: z.object({ key: z.string().refine(isPreferenceKey, "pref.unknownKey") }),
  async run({ tx, now, actor, touchpoint, audit }, { memberId, key }, member) {
    const source = sourceOf(member);
    const existing = await tx.memberPreference.findUnique({ where: { memberId_key: { memberId, key } }, select: { value: true } });
    if (!existing) return fail.notFound();
    await tx.memberPreference.delete({ where: { memberId_key: { memberId, key } } });
    await tx.memberPreferenceChange.create({
      data: { id: newSortableId(now), memberId, key, action: "removed", oldValue: existing.value, newValue: null, source, actorId: actor.id, changedAt: now },
    });
    await touchpoint({ memberId, kind: "preference.removed", actorId: actor.id, subject: { type: "preference", id: key }, data: { key, source } });
    if (source === "staff") await audit({ action: "member.preference_removed", targetMemberId: memberId, data: { key } });
    return { ok: true };
  },
});
