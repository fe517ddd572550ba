/**
 * Which announcements a staff member reads, and whose copies they count (issue 18: "staff may not
 * message members outside their scope; admins may message everyone"): an admin reads every
 * announcement with every copy; staff read those they wrote and those delivered (or counted as
 * excluded) to at least one member in their scope, and every count, progress and report is cut to
 * those members. Someone else's draft reaches nobody yet, so it stays its author's (and admins').
 * The set form of the `announcement.read` rule (./rules/outreach.ts), for lists.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Actor } from "./actor";
import { can } from "./can";
import { memberScopeWhere, type ScopeServices } from "./member-scope.server";

export interface AnnouncementScope {
  /** The announcements the viewer reads. */
  where: Prisma.AnnouncementWhereInput;
  /** Whose copies count for them; null: everyone's. */
  members: Prisma.UserWhereInput | null;
}

const NOTHING: AnnouncementScope = { where: { id: { in: [] } }, members: { id: { in: [] } } };

export async function announcementScope(services: ScopeServices, viewer: Actor | null): Promise<AnnouncementScope> {
  if (!viewer || !can(viewer, "announcement.use")) return NOTHING;
  if (can(viewer, "announcement.readEveryone")) return { where: {}, members: null };
  const members = await memberScopeWhere(services, viewer);
  return { where: { OR: [{ createdById: viewer.id }, { deliveries: { some: { member: members } } }] }, members };
}

/** One announcement's facts for `can(viewer, "announcement.read", …)`. */
export async function announcementReadFacts(services: ScopeServices, scope: AnnouncementScope, announcement: { id: string; createdById: string | null }) {
  const reachesTheirMembers =
    scope.members === null || !!(await services.db.announcementDelivery.findFirst({ where: { announcementId: announcement.id, member: scope.members }, select: { id: true } }));
  return { authorId: announcement.createdById ?? "", reachesTheirMembers };
}

/** Whether the viewer reads this announcement: the rule, with its facts read. */
export async function mayReadAnnouncement(services: ScopeServices, viewer: Actor, announcement: { id: string; createdById: string | null }, scope?: AnnouncementScope) {
  const facts = await announcementReadFacts(services, scope ?? (await announcementScope(services, viewer)), announcement);
  return can(viewer, "announcement.read", facts);
}
