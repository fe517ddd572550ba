/**
 * Who may act on a member's data: the member themself, their account
 * manager, or an admin. Checked in every module function, never only in UI.
 */
import type { Role } from "~/generated/prisma/enums";
import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";

export interface Actor {
  id: string;
  role: Role;
}

export class AccessDenied extends Error {
  status = 403;
  constructor(message = "You may not act on this member's data.") {
    super(message);
  }
}

export type MemberAccess = "self" | "manager" | "admin";

export async function memberAccess(db: Db | Tx, actor: Actor, memberId: string): Promise<MemberAccess | null> {
  if (actor.id === memberId) return "self";
  if (actor.role === "admin") return "admin";
  if (actor.role !== "staff") return null;
  const member = await db.user.findUnique({ where: { id: memberId }, select: { accountManagerId: true } });
  return member?.accountManagerId === actor.id ? "manager" : null;
}

export async function requireMemberAccess(db: Db | Tx, actor: Actor, memberId: string) {
  const access = await memberAccess(db, actor, memberId);
  if (!access) throw new AccessDenied();
  return access;
}
