/**
 * Who may open a member's record in the staff console: their account
 * manager, whoever covers that manager while the manager is not online, and
 * admins, by the one member-scope rule. Everyone else gets the same "not
 * found" as for a member that does not exist.
 */
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { staffRelation } from "../policy/member-scope.server";

export type ConsoleAccess = "manager" | "backup" | "admin";

export class MemberNotFound extends Error {
  status = 404;
  constructor() {
    super("No such member.");
  }
}

/** The member-scope rule (app/modules/policy/member-scope.server.ts), as the console asks it. */
export async function consoleAccess(services: Pick<Services, "db" | "realtime">, actor: Actor, memberId: string): Promise<ConsoleAccess | null> {
  return staffRelation(services, actor, memberId);
}

/** As consoleAccess, throwing MemberNotFound (a 404) when refused. */
export async function requireConsoleAccess(services: Pick<Services, "db" | "realtime">, actor: Actor, memberId: string) {
  const access = await consoleAccess(services, actor, memberId);
  if (!access) throw new MemberNotFound();
  return access;
}
