/**
 * The one rule for which members a person may see and act on (the console,
 * chat, search, exports, and every staff write on a member):
 *
 * - the member themself;
 * - an admin: every member;
 * - staff: the members they manage, and those of a manager they cover right
 *   now (named backup, or "any staff on duty" while not away, and only while
 *   the manager is not online: app/modules/presence);
 * - nobody else. A refusal is "not found" (404), never "forbidden": it must
 *   not tell whether the member exists.
 *
 * Staff relations are to live community members (members and moderators); a
 * deleted member is found by nobody but their own (ended) session.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Services } from "../services.server";
import type { Actor } from "./actor";
import { isAdminRole, isCommunityRole, isStaffRole } from "./permissions";
import { coversFor, managersCoveredBy } from "../presence/coverage.server";

import type { MemberRelation } from "./relations";
export { isCovering, onStaffSide, type MemberRelation } from "./relations";

export type ScopeServices = Pick<Services, "db" | "realtime">;

/** What the rule needs of the member, when the caller has read it already. */
export interface MemberFacts {
  id: string;
  role: string;
  deletedAt: Date | null;
  accountManagerId: string | null;
  /** The manager's coverage, when read with the member (saves a query). */
  coverage?: { backupId: string | null } | null;
}

const MEMBER_FACTS = { id: true, role: true, deletedAt: true, accountManagerId: true } satisfies Prisma.UserSelect;

/** How `actor` stands to this member, or null: the one answer every door uses. */
export async function memberRelation(services: ScopeServices, actor: Actor | null, member: string | MemberFacts | null): Promise<MemberRelation | null> {
  if (!actor || !member) return null;
  const facts: MemberFacts | null = typeof member === "string" ? await services.db.user.findUnique({ where: { id: member }, select: MEMBER_FACTS }) : member;
  if (!facts) return null;
  if (facts.id === actor.id) return facts.deletedAt ? null : "self";
  if (!isStaffRole(actor.role) || facts.deletedAt || !isCommunityRole(facts.role)) return null;
  if (isAdminRole(actor.role)) return "admin";
  if (!facts.accountManagerId) return null;
  if (facts.accountManagerId === actor.id) return "manager";
  return (await coversFor(services, actor, facts.accountManagerId, facts.coverage)) ? "backup" : null;
}

/** Staff relations only (the console and staff-side chat): a person's own record is not "staff access". */
export async function staffRelation(services: ScopeServices, actor: Actor | null, member: string | MemberFacts | null) {
  const relation = await memberRelation(services, actor, member);
  return relation === "self" ? null : relation;
}

/**
 * The managers whose members this staff member sees now, for list queries:
 * "all" for an admin, their own id plus those they cover for staff, none for
 * anyone else.
 */
export async function visibleManagers(services: ScopeServices, actor: Actor | null): Promise<"all" | string[]> {
  if (!actor || !isStaffRole(actor.role)) return [];
  if (isAdminRole(actor.role)) return "all";
  const covered = await managersCoveredBy(services, actor);
  return [actor.id, ...covered.map((m) => m.id)];
}

/** The same rule as a where clause on members. */
export async function memberScopeWhere(services: ScopeServices, actor: Actor | null): Promise<Prisma.UserWhereInput> {
  const managers = await visibleManagers(services, actor);
  const live: Prisma.UserWhereInput = { deletedAt: null, role: { in: ["member", "moderator"] } };
  if (managers === "all") return live;
  return { ...live, accountManagerId: { in: managers } };
}
