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

/** The only role comparisons in the code base: everything else asks these, a permission, or `can`. */
type AnyRole = Role | string | null | undefined;
export const isStaffRole = (role: AnyRole) => role === "staff" || role === "admin";
export const isAdminRole = (role: AnyRole) => role === "admin";
/** Members and moderators: the people staff look after (moderators are volunteers from the community). */
export const isCommunityRole = (role: AnyRole) => role === "member" || role === "moderator";
export const isMemberRole = (role: AnyRole) => role === "member";
export const isModeratorRole = (role: AnyRole) => role === "moderator";
