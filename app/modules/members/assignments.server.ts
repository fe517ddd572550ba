/**
 * Admin view of who manages whom: each staff member's load and cover, and
 * the members to (re)assign, one at a time or in bulk. Each change goes
 * through changeAccountManager, so every one is a touchpoint, an audit
 * entry and a notification, and moves the chat with the member.
 */
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { can } from "../policy/can";
import { fail } from "../commands/failure";
import { AccessDenied } from "../policy/access-denied";
import { changeAccountManager } from "./account-manager.server";
import { presenceOf } from "../presence/coverage.server";

export const ASSIGNMENT_PAGE = 50;

export async function staffCapacity(services: Pick<Services, "db" | "realtime">, actor: Actor) {
  if (!can(actor, "member.assignManager")) throw new AccessDenied();
  const staff = await services.db.user.findMany({
    where: { role: { in: ["staff", "admin"] }, deletedAt: null },
    orderBy: { displayName: "asc" },
    select: { id: true, displayName: true, role: true, awaySince: true, coverage: { select: { backupId: true, backup: { select: { displayName: true } } } } },
  });
  const [counts, waiting, presence] = await Promise.all([
    services.db.user.groupBy({ by: ["accountManagerId"], where: { deletedAt: null, role: { in: ["member", "moderator"] } }, _count: { _all: true } }),
    services.db.$queryRaw<{ managerId: string | null; n: number }[]>`
      SELECT u."accountManagerId" AS "managerId", count(*)::int AS n
      FROM "Conversation" c JOIN "User" u ON u."id" = c."memberId"
      WHERE c."waitingSince" IS NOT NULL AND u."deletedAt" IS NULL
      GROUP BY u."accountManagerId"`,
    presenceOf(services, staff.map((s) => s.id)),
  ]);
  const load = new Map(counts.map((c) => [c.accountManagerId, c._count._all]));
  const waitingBy = new Map(waiting.map((w) => [w.managerId, w.n]));
  return {
    staff: staff.map((s) => ({
      id: s.id,
      displayName: s.displayName,
      role: s.role,
      members: load.get(s.id) ?? 0,
      waiting: waitingBy.get(s.id) ?? 0,
      presence: presence.get(s.id) ?? "offline",
      coverage: s.coverage ? (s.coverage.backupId ? { kind: "named" as const, id: s.coverage.backupId, name: s.coverage.backup?.displayName ?? "" } : { kind: "any" as const }) : null,
    })),
    unassigned: load.get(null) ?? 0,
  };
}

export async function membersToAssign(
  services: Pick<Services, "db">,
  actor: Actor,
  options: { q?: string; manager?: string; page?: number },
) {
  if (!can(actor, "member.assignManager")) throw new AccessDenied();
  const q = options.q?.trim().slice(0, 100);
  const where = {
    deletedAt: null,
    role: { in: ["member" as const, "moderator" as const] },
    ...(options.manager === "none" ? { accountManagerId: null } : options.manager ? { accountManagerId: options.manager } : {}),
    ...(q
      ? { OR: [{ displayName: { contains: q, mode: "insensitive" as const } }, { email: { contains: q, mode: "insensitive" as const } }, { company: { contains: q, mode: "insensitive" as const } }] }
      : {}),
  };
  const page = Math.max(1, options.page ?? 1);
  const [total, rows] = await Promise.all([
    services.db.user.count({ where }),
    services.db.user.findMany({
      where,
      orderBy: [{ displayName: "asc" }, { id: "asc" }],
      skip: (page - 1) * ASSIGNMENT_PAGE,
      take: ASSIGNMENT_PAGE,
      select: { id: true, displayName: true, email: true, company: true, accountManagerId: true },
    }),
  ]);
  return { total, page, pages: Math.max(1, Math.ceil(total / ASSIGNMENT_PAGE)), members: rows };
}

/** Bulk reassignment: each member in turn, each its own transaction; the count of those that changed. */
export async function assignMembers(services: Services, actor: Actor, memberIds: string[], managerId: string | null) {
  if (!can(actor, "member.assignManager")) return fail.notAllowed();
  const ids = [...new Set(memberIds)].slice(0, 500);
  const members = await services.db.user.findMany({ where: { id: { in: ids }, deletedAt: null, role: { in: ["member", "moderator"] } }, select: { id: true, accountManagerId: true } });
  let changed = 0;
  for (const member of members) {
    if (member.accountManagerId === managerId) continue;
    const result = await changeAccountManager(services, actor, { memberId: member.id, managerId });
    if (!result.ok) return { ...result, changed };
    changed++;
  }
  return { ok: true as const, changed };
}
