/**
 * Who acts, and the role comparisons. Beside the domains rather than in policy: presence decides
 * by role who covers a manager, and policy's member scope asks presence who covers, so neither may
 * own them. policy/actor.ts and policy/permissions.ts re-export them.
 */
import type { Role } from "~/generated/prisma/enums";

/** Who is acting: a signed-in person with their role. Anonymous visitors are `null` where a function accepts them. */
export interface Actor {
  id: string;
  role: Role;
}

/** The only role comparisons in the code base: everything else asks these, a permission, or `can`. */
type AnyRole = Role | string | null | undefined;
export const isStaffRole = (role: AnyRole) => role === "staff" || role === "admin";
export const isAdminRole = (role: AnyRole) => role === "admin";
/** Members and moderators: the people staff look after (moderators are volunteers from the community). */
export const isCommunityRole = (role: AnyRole) => role === "member" || role === "moderator";
export const isMemberRole = (role: AnyRole) => role === "member";
export const isModeratorRole = (role: AnyRole) => role === "moderator";
