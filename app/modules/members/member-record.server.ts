/**
 * The staff view of one member: who they are, what we remember, consent and
 * the latest touchpoints. Opening it is audited.
 */
import type { Services } from "../services.server";
import { recordAudit } from "../audit/audit.server";
import { listTimeline } from "../timeline/touchpoints.server";
import { AccessDenied, memberAccess, type Actor } from "./access.server";
import { getConsents, listPreferences } from "./profile.server";

export async function openMemberRecord(services: Services, actor: Actor, memberId: string, meta: { ip: string }) {
  const access = await memberAccess(services.db, actor, memberId);
  // Staff see the members assigned to them; admins see everyone.
  if (access !== "manager" && access !== "admin") throw new AccessDenied();
  const member = await services.db.user.findUnique({
    where: { id: memberId },
    select: {
      id: true,
      email: true,
      displayName: true,
      role: true,
      avatarKey: true,
      company: true,
      phone: true,
      timezone: true,
      locale: true,
      contactChannel: true,
      contactHours: true,
      createdAt: true,
      deletedAt: true,
      accountManager: { select: { id: true, displayName: true } },
    },
  });
  if (!member) return null;
  const [preferences, consents, timeline] = await Promise.all([
    listPreferences(services.db, memberId),
    getConsents(services.db, memberId),
    listTimeline(services.db, memberId, { limit: 30 }),
  ]);
  await recordAudit(services.db, {
    actorId: actor.id,
    action: "member.viewed",
    targetMemberId: memberId,
    ip: meta.ip,
    at: services.clock.now(),
  });
  return { member, preferences, consents, timeline };
}
