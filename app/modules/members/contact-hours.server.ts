/**
 * Preferred contact hours for email (./contact-hours.ts): read for the profile, the staff record
 * and the announcement dispatcher; written by one command, with a touchpoint, like the profile.
 */
import type { Db } from "../services.server";
import { defineCommand } from "../commands/command.server";
import { onMemberData, sourceOf } from "./member-ref.server";
import { ContactHoursSchema, windowOf } from "./contact-hours";

export async function getContactHours(db: Db, memberId: string) {
  return db.memberContactHours.findUnique({ where: { memberId }, select: { weekdays: true, fromMinute: true, toMinute: true, source: true, updatedAt: true } });
}

const same = (a: { weekdays: number[]; fromMinute: number; toMinute: number } | null, b: typeof a) =>
  a === b || (!!a && !!b && a.fromMinute === b.fromMinute && a.toMinute === b.toMinute && a.weekdays.join() === b.weekdays.join());

export const setContactHours = defineCommand({
  name: "member.set_contact_hours",
  ...onMemberData,
  input: ContactHoursSchema,
  async run({ tx, now, actor, touchpoint, audit }, { memberId, ...input }, member) {
    const window = windowOf(input);
    const before = await tx.memberContactHours.findUnique({ where: { memberId }, select: { weekdays: true, fromMinute: true, toMinute: true } });
    if (same(before, window)) return { ok: true, changed: false };
    if (window) {
      const data = { ...window, source: sourceOf(member), updatedById: actor.id, updatedAt: now };
      await tx.memberContactHours.upsert({ where: { memberId }, create: { memberId, ...data }, update: data });
    } else {
      await tx.memberContactHours.delete({ where: { memberId } });
    }
    await touchpoint({ memberId, kind: "profile.updated", actorId: actor.id, data: { fields: "emailHours" } });
    if (member.relation !== "self") await audit({ action: "member.profile_updated", targetMemberId: memberId, data: { fields: "emailHours" } });
    return { ok: true, changed: true };
  },
});
