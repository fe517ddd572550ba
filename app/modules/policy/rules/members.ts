/**
 * Members' data and standing, the team and account managers. Which members a
 * staff member may act on is a fact decided by ../member-scope.server.ts
 * (`relation`); these rules say what each relation may do.
 */
import type { Actor } from "../actor";
import type { MemberRelation } from "../member-scope.server";
import { hasPermission, isAdminRole, isMemberRole, isModeratorRole } from "../permissions";
import type { Rules } from "./shared";

/** How the actor stands to the member (null: not in their scope). */
export type InScope = { relation: MemberRelation | null };

export const memberRules = {
  /** Profile, photo, "what we remember", the data export: the member, and staff whose members they are. */
  "member.edit": (_actor: Actor, member: InScope) => member.relation !== null,
  /** Consent is the member's own word; staff record it only as "staff" (said so in the record). */
  "member.consent": (_actor: Actor, member: InScope & { asStaff: boolean }) => member.relation === "self" || (member.relation !== null && member.asStaff),
  /** The staff record of a member (opening it is audited). */
  "member.record": (_actor: Actor, member: InScope) => member.relation !== null && member.relation !== "self",
  /** Deleting one's own account: anyone signed in (the body checks the password and the duties that keep someone). */
  "member.leave": () => true,
  "member.assignManager": (actor: Actor) => hasPermission(actor, "member:assign:any"),
  "team.manage": (actor: Actor) => hasPermission(actor, "team:manage:any"),
  "member.suspend": (actor: Actor) => hasPermission(actor, "member:suspend:any"),
  /** Members by any moderator; moderators by admins only; staff and admins never (their role changes instead). */
  "member.suspendWhom": (actor: Actor, target: { role: string }) =>
    hasPermission(actor, "member:suspend:any") && (isMemberRole(target.role) || (isModeratorRole(target.role) && isAdminRole(actor.role))),
} satisfies Rules;
