/**
 * Who may open a member's record in the staff console: their account
 * manager, whoever covers that manager while the manager is not online
 * (app/modules/presence/coverage.server.ts), and admins. Everyone else gets the
 * same "not found" as for a member that does not exist.
 */
import type { Services } from "../services.server";
import type { Actor } from "../members/access.server";
import { coversFor } from "../presence/coverage.server";

export type ConsoleAccess = "manager" | "backup" | "admin";

export class MemberNotFound extends Error {
  status = 404;
  constructor() {
    super("No such member.");
  }
}

export async function consoleAccess(services: Pick<Services, "db" | "realtime">, actor: Actor, memberId: string): Promise<ConsoleAccess | null> {
  if (actor.role !== "staff" && actor.role !== "admin") return null;
  const member = await services.db.user.findUnique({
    where: { id: memberId },
    select: { role: true, deletedAt: true, accountManagerId: true },
  });
  if (!member || member.deletedAt || (member.role !== "member" && member.role !== "moderator")) return null;
  if (actor.role === "admin") return "admin";
  if (member.accountManagerId === actor.id) return "manager";
  if (member.accountManagerId && (await coversFor(services, actor, member.accountManagerId))) return "backup";
  return null;
}

/** As consoleAccess, throwing MemberNotFound (a 404) when refused. */
export async function requireConsoleAccess(services: Pick<Services, "db" | "realtime">, actor: Actor, memberId: string) {
  const access = await consoleAccess(services, actor, memberId);
  if (!access) throw new MemberNotFound();
  return access;
}
