/**
 * An account's standing: moderators suspend a member for a while, or until
 * lifted, with a reason the member reads when they try to log in (as in
 * Discourse). A suspension ends every session and open socket at once;
 * nothing the member wrote is removed. Staff and admins are never suspended:
 * an admin changes their role instead.
 */
import { z } from "zod";
import type { Services } from "../services.server";
import { hasPermission } from "../policy/permissions";
import type { Actor } from "./access.server";
import { recordAudit } from "../audit/audit.server";
import { recordTouchpoint } from "../timeline/touchpoints.server";
import { requestNotification } from "../notifications/notifications.server";
import { SUSPENSION_DAYS } from "~/utils/standing";

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

type StandingServices = Pick<Services, "db" | "clock" | "realtime" | "outbox">;
type Refusal = { ok: false; error: "notFound" | "notAllowed" | "self" | "notSuspended" };

/** Who may be suspended by this actor: members by any moderator; moderators by admins only. */
async function target(services: StandingServices, actor: Actor, memberId: string) {
  if (!hasPermission(actor, "member:suspend:any")) return { ok: false as const, error: "notAllowed" as const };
  if (memberId === actor.id) return { ok: false as const, error: "self" as const };
  const user = await services.db.user.findUnique({
    where: { id: memberId },
    select: { id: true, role: true, deletedAt: true, suspendedUntil: true, suspendedReason: true },
  });
  if (!user || user.deletedAt) return { ok: false as const, error: "notFound" as const };
  const allowed = user.role === "member" || (user.role === "moderator" && actor.role === "admin");
  if (!allowed) return { ok: false as const, error: "notAllowed" as const };
  return { ok: true as const, user };
}

export async function suspendMember(
  services: StandingServices,
  actor: Actor,
  memberId: string,
  input: z.input<typeof SuspendSchema>,
  meta: { ip?: string | null } = {},
): Promise<{ ok: true; suspension: Suspension } | Refusal | { ok: false; error: "invalid"; fieldErrors: Record<string, string[] | undefined> }> {
  const found = await target(services, actor, memberId);
  if (!found.ok) return found;
  const parsed = SuspendSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid", fieldErrors: parsed.error.flatten().fieldErrors };
  const now = services.clock.now();
  const until = parsed.data.days === "lifted" ? UNTIL_LIFTED : new Date(now.getTime() + Number(parsed.data.days) * 86_400_000);
  const reason = parsed.data.reason;
  await services.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: memberId }, data: { suspendedUntil: until, suspendedReason: reason } });
    await tx.session.deleteMany({ where: { userId: memberId } });
    const data = { until: until.toISOString(), reason };
    await recordAudit(tx, { actorId: actor.id, action: "member.suspended", targetMemberId: memberId, data, ip: meta.ip ?? null, at: now });
    await recordTouchpoint(tx, { memberId, kind: "account.suspended", actorId: actor.id, data, at: now });
    // By email (the default): the member can no longer open the bell.
    await requestNotification(tx, { userId: memberId, kind: "account.standing", data: { variant: "suspended", until: data.until, reason }, link: null });
  });
  services.outbox.kick();
  await services.realtime.closeSockets(memberId);
  return { ok: true, suspension: { until, reason, untilLifted: until.getTime() >= UNTIL_LIFTED.getTime() } };
}

export async function liftSuspension(services: StandingServices, actor: Actor, memberId: string, meta: { ip?: string | null } = {}): Promise<{ ok: true } | Refusal> {
  const found = await target(services, actor, memberId);
  if (!found.ok) return found;
  const now = services.clock.now();
  if (!suspensionOf(found.user, now)) return { ok: false, error: "notSuspended" };
  await services.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: memberId }, data: { suspendedUntil: null, suspendedReason: null } });
    await recordAudit(tx, { actorId: actor.id, action: "member.unsuspended", targetMemberId: memberId, ip: meta.ip ?? null, at: now });
    await recordTouchpoint(tx, { memberId, kind: "account.unsuspended", actorId: actor.id, at: now });
    await requestNotification(tx, { userId: memberId, kind: "account.standing", data: { variant: "lifted" }, link: "/login" });
  });
  services.outbox.kick();
  return { ok: true };
}

/** What a moderator sees of an account's standing on its profile; null when they cannot act on it. */
export async function standingFor(services: Pick<Services, "db" | "clock">, actor: Actor | null, memberId: string) {
  if (!actor) return null;
  const found = await target(services as StandingServices, actor, memberId);
  if (!found.ok) return null;
  return { suspension: suspensionOf(found.user, services.clock.now()) };
}
