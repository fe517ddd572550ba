/**
 * Typed permissions: `<entity>:<action>:<scope>`. Checked on the server in
 * module functions; the UI uses them only to hide what cannot be done.
 */
import type { Role } from "~/generated/prisma/enums";

export const ROLES = ["member", "moderator", "staff", "admin"] as const satisfies readonly Role[];

const MEMBER = [
  "profile:update:own",
  "thread:create:any",
  "post:create:any",
  "chat:write:own",
  // Co-creation: reviews and ideas (docs/decisions/008).
  "review:write:any",
  "idea:create:any",
  "idea:vote:any",
  "idea:comment:any",
] as const;
const MODERATOR = [
  ...MEMBER,
  "thread:lock:any",
  "thread:pin:any",
  "post:hide:any",
  "moderation:review:any",
  "review:hide:any",
  "idea:moderate:any",
  // Members only; a moderator is suspended by an admin (app/modules/members/standing.server.ts).
  "member:suspend:any",
] as const;
const STAFF = [
  ...MODERATOR,
  "console:access:any",
  // Forum categories readable by staff only (moderators are volunteers: docs/decisions/006).
  "category:read:staff",
  "member:read:assigned",
  "member:update:assigned",
  "chat:write:assigned",
  "review:respond:any",
  "idea:status:any",
  "product:ownership:assigned",
] as const;
const ADMIN = [
  ...STAFF,
  "member:read:any",
  "member:update:any",
  "member:assign:any",
  "chat:write:any",
  "category:manage:any",
  "system:read:any",
  "audit:read:any",
  "product:manage:any",
  "product:ownership:any",
  "team:manage:any",
] as const;

export type Permission = (typeof ADMIN)[number];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  member: new Set(MEMBER),
  moderator: new Set(MODERATOR),
  staff: new Set(STAFF),
  admin: new Set(ADMIN),
};

export function hasPermission(user: { role: Role } | null | undefined, permission: Permission) {
  return !!user && GRANTS[user.role].has(permission);
}

// The role comparisons live beside the domains (app/modules/roles.ts): presence, which policy's
// member scope asks who covers, uses them too.
export { isAdminRole, isCommunityRole, isMemberRole, isModeratorRole, isStaffRole } from "../roles";
