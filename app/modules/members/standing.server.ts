/**
 * An account's standing: moderators suspend a member for a while, or until
 * lifted, with a reason the member reads when they try to log in (as in
 * Discourse). A suspension ends every session and open socket at once;
 * nothing the member wrote is removed. Staff and admins are never suspended:
 * an admin changes their role instead.
 */
import { z } from "zod";
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { can } from "../policy/can";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { MemberRef } from "./member-ref.server";
import { requestNotification } from "../notifications/notifications.server";
import { SUSPENSION_DAYS } from "./suspension-days";

/** "Until lifted": a date no calendar reaches, so one comparison covers both kinds. */
export const UNTIL_LIFTED = new Date("9999-12-31T00:00:00.000Z");

// Messages are i18n keys; the form shows them beside the field.
export const SuspendSchema = z.object({
  days: z.enum(SUSPENSION_DAYS, { errorMap: () => ({ message: "standing.error.days" }) }),
  reason: z.string({ required_error: "standing.error.reason" }).trim().min(3, "standing.error.reason").max(500, "standing.error.reasonLong"),
});

export interface Suspension {
  until: Date;
  reason: string;
  /** No end date: a moderator lifts it. */
  untilLifted: boolean;
}

/** The suspension in force at `now`, if any: an ended one counts as none. */
export function suspensionOf(user: { suspendedUntil: Date | null; suspendedReason: string | null }, now: Date): Suspension | null {
  if (!user.suspendedUntil || user.suspendedUntil <= now) return null;
  return { until: user.suspendedUntil, reason: user.suspendedReason ?? "", untilLifted: user.suspendedUntil.getTime() >= UNTIL_LIFTED.getTime() };
}

/** The account, as a suspension decides on it. */
async function loadTarget(services: Pick<Services, "db">, { memberId }: { memberId: string }) {
  const user = await services.db.user.findUnique({
    where: { id: memberId },
    select: { id: true, role: true, deletedAt: true, suspendedUntil: true, suspendedReason: true },
  });
  return user && !user.deletedAt ? user : null;
}

/** Who may be suspended by this actor: never themself; members by any moderator; moderators by admins only. */
function mayActOn(actor: Actor, user: { id: string; role: string }) {
  if (user.id === actor.id) return fail.because("self");
  return can(actor, "member.suspendWhom", user);
}

/** Both standing commands: a moderator, about an account they may act on. */
const onStanding = { who: (actor: Actor) => can(actor, "member.suspend"), ref: MemberRef, load: loadTarget, policy: mayActOn };

export const suspendMember = defineCommand({
  name: "member.suspend",
  ...onStanding,
  input: SuspendSchema,
  async run({ tx, now, actor, touchpoint, audit, afterCommit }, { memberId, days, reason }) {
    const until = days === "lifted" ? UNTIL_LIFTED : new Date(now.getTime() + Number(days) * 86_400_000);
    await tx.user.update({ where: { id: memberId }, data: { suspendedUntil: until, suspendedReason: reason } });
    await tx.session.deleteMany({ where: { userId: memberId } });
    const data = { until: until.toISOString(), reason };
    await audit({ action: "member.suspended", targetMemberId: memberId, data });
    await touchpoint({ memberId, kind: "account.suspended", actorId: actor.id, data });
    // By email (the default): the member can no longer open the bell.
    await requestNotification(tx, { userId: memberId, kind: "account.standing", data: { variant: "suspended", until: data.until, reason }, link: null });
    afterCommit((services) => services.realtime.closeSockets(memberId));
    return { ok: true, suspension: { until, reason, untilLifted: until.getTime() >= UNTIL_LIFTED.getTime() } };
  },
});

export const liftSuspension = defineCommand({
  name: "member.lift_suspension",
  ...onStanding,
  async run({ tx, now, actor, touchpoint, audit }, { memberId }, user) {
    if (!suspensionOf(user, now)) return fail.because("notSuspended");
    await tx.user.update({ where: { id: memberId }, data: { suspendedUntil: null, suspendedReason: null } });
    await audit({ action: "member.unsuspended", targetMemberId: memberId });
    await touchpoint({ memberId, kind: "account.unsuspended", actorId: actor.id });
    await requestNotification(tx, { userId: memberId, kind: "account.standing", data: { variant: "lifted" }, link: "/login" });
    return { ok: true };
  },
});

/** What a moderator sees of an account's standing on its profile; null when they cannot act on it. */
export async function standingFor(services: Pick<Services, "db" | "clock">, actor: Actor | null, memberId: string) {
  if (!actor || !can(actor, "member.suspend")) return null;
  const user = await loadTarget(services, { memberId });
  if (!user || mayActOn(actor, user) !== true) return null;
  return { suspension: suspensionOf(user, services.clock.now()) };
}
