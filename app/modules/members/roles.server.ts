/**
 * Who is on the team (moderators, staff, admins) and giving anyone a role.
 * Admins do it on /staff/team; the first admin of a fresh install comes
 * from the command line (server/user-role.ts), which acts as nobody (actor
 * null). Each change is audited, told to the person, and ends their open
 * sockets so no tab keeps listening to rooms it joined under the old role.
 */
import type { Role } from "~/generated/prisma/enums";
import type { MessageKey } from "~/i18n/en";
import type { Services } from "../services.server";
import type { Tx } from "../db-types.server";
import { ROLES, hasPermission, isStaffRole } from "../policy/permissions";
import { recordAudit } from "../audit/audit.server";
import { requestNotification } from "../notifications/notifications.server";
import { AccessDenied, type Actor } from "./access.server";

export type RoleChangeError = "invalidRole" | "unknown" | "deleted" | "self" | "lastAdmin" | "managesMembers" | "isBackup";

export interface RoleChangeInput {
  /** Whom: their id, or the email address of their account. */
  userId?: string;
  email?: string;
  role: string;
  ip?: string | null;
}

export type RoleChangeResult =
  | { ok: true; changed: boolean; user: { id: string; displayName: string; email: string }; from: Role; to: Role }
  /** count: how many members they manage, or managers they back up. */
  | { ok: false; error: RoleChangeError; count?: number };

type RoleServices = Pick<Services, "db" | "clock" | "realtime" | "outbox">;

/** Each refusal in words, for the page and the command line alike ({count} where there is one). */
export function roleChangeMessage(error: RoleChangeError, byEmail: boolean): MessageKey {
  return error === "unknown" && byEmail ? "team.error.unknownEmail" : `team.error.${error}`;
}

/** The members someone manages, counted as /staff/assignments counts them, so the admin can reassign what blocks a demotion there. */
const managedBy = (managerId: string) => ({ accountManagerId: managerId, deletedAt: null, role: { in: ["member" as const, "moderator" as const] } });

function requireTeamManager(actor: Actor) {
  if (!hasPermission(actor, "team:manage:any")) throw new AccessDenied("Only an admin manages the team.");
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export async function teamList(services: Pick<Services, "db">, actor: Actor) {
  requireTeamManager(actor);
  const [people, counts] = await Promise.all([
    services.db.user.findMany({
      where: { role: { not: "member" }, deletedAt: null },
      // The enum's order is member < moderator < staff < admin: admins first.
      orderBy: [{ role: "desc" }, { displayName: "asc" }, { id: "asc" }],
      select: { id: true, displayName: true, email: true, username: true, role: true, createdAt: true },
    }),
    services.db.user.groupBy({ by: ["accountManagerId"], where: { accountManagerId: { not: null }, deletedAt: null, role: { in: ["member", "moderator"] } }, _count: { _all: true } }),
  ]);
  const managed = new Map(counts.map((c) => [c.accountManagerId, c._count._all]));
  return people.map((p) => ({ ...p, members: managed.get(p.id) ?? 0 }));
}

/** The person, locked for the rest of the transaction (emails are stored lower-cased). */
async function lockTarget(tx: Tx, input: RoleChangeInput) {
  const email = input.email?.trim().toLowerCase();
  const found = input.userId
    ? await tx.user.findUnique({ where: { id: input.userId }, select: { id: true } })
    : email
      ? await tx.user.findUnique({ where: { email }, select: { id: true } })
      : null;
  if (!found) return null;
  const [row] = await tx.$queryRaw<{ id: string; displayName: string; email: string; role: Role; deletedAt: Date | null }[]>`
    SELECT "id", "displayName", "email", "role", "deletedAt" FROM "User" WHERE "id" = ${found.id} FOR NO KEY UPDATE`;
  return row ?? null;
}

/** Where a demoted person's work would be left without them: the members they manage, the managers they back up. */
async function staffDuties(tx: Tx | Services["db"], userId: string): Promise<{ error: RoleChangeError; count: number } | null> {
  const members = await tx.user.count({ where: managedBy(userId) });
  if (members) return { error: "managesMembers", count: members };
  const covered = await tx.staffCoverage.count({ where: { backupId: userId, manager: { deletedAt: null } } });
  return covered ? { error: "isBackup", count: covered } : null;
}

/**
 * Gives someone a role. `actor` null is the command line (no permission to
 * check, and nobody to be "yourself"). Refusals come back as error codes.
 */
export async function changeRole(services: RoleServices, actor: Actor | null, input: RoleChangeInput): Promise<RoleChangeResult> {
  if (actor) requireTeamManager(actor);
  const role = input.role;
  if (!isRole(role)) return { ok: false, error: "invalidRole" };
  const now = services.clock.now();
  const result = await services.db.$transaction(async (tx): Promise<RoleChangeResult> => {
    // The admins are locked first, every time, then the person: two admins demoting each other at
    // once cannot leave nobody in charge, and two changes always lock in the same order. NO KEY
    // UPDATE, as the role update itself takes: rows that merely reference these people (an
    // assignment naming its admin) are not blocked, so an assignment racing this cannot deadlock.
    const admins = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE "role" = 'admin' AND "deletedAt" IS NULL ORDER BY "id" FOR NO KEY UPDATE`;
    const target = await lockTarget(tx, input);
    if (!target) return { ok: false, error: "unknown" };
    if (target.deletedAt) return { ok: false, error: "deleted" };
    if (actor?.id === target.id) return { ok: false, error: "self" };
    const user = { id: target.id, displayName: target.displayName, email: target.email };
    if (target.role === role) return { ok: true, changed: false, user, from: role, to: role };
    if (target.role === "admin" && !admins.some((a) => a.id !== target.id)) return { ok: false, error: "lastAdmin" };
    if (isStaffRole(target.role) && !isStaffRole(role)) {
      const duty = await staffDuties(tx, target.id);
      if (duty) return { ok: false, ...duty };
    }
    // Joining the staff ends having an account manager (they would keep reading this person's
    // record); leaving it ends their own cover arrangement, which only a manager of members needs.
    const joinsStaff = isStaffRole(role) && !isStaffRole(target.role);
    await tx.user.update({ where: { id: target.id }, data: { role, ...(joinsStaff ? { accountManagerId: null } : {}) } });
    if (isStaffRole(target.role) && !isStaffRole(role)) await tx.staffCoverage.deleteMany({ where: { managerId: target.id } });
    // A promoted member's search record leaves the member index by itself: the User trigger
    // enqueues "search.sync" when the role changes (migration 20261123182718_search).
    await recordAudit(tx, {
      actorId: actor?.id ?? null,
      action: "member.role_changed",
      targetMemberId: target.id,
      data: { from: target.role, to: role, ...(actor ? {} : { via: "cli" }) },
      ip: input.ip ?? null,
      at: now,
    });
    await requestNotification(tx, { userId: target.id, kind: "account.role_changed", data: { newRole: role }, link: landingOf(role) });
    return { ok: true, changed: true, user, from: target.role, to: role };
  });
  if (result.ok && result.changed) {
    // Their tabs reload under the new role; until then they would hear rooms joined under the old one.
    await services.realtime.closeSockets(result.user.id);
    services.outbox.kick();
  }
  return result;
}

/** Where the notification takes them: the page their new role opens. */
function landingOf(role: Role) {
  if (role === "moderator") return "/staff/moderation";
  return isStaffRole(role) ? "/staff" : "/";
}

/**
 * What keeps someone from deleting their own account: the same duties that keep an admin from
 * demoting them (the last admin; members they manage; managers they back up).
 */
export async function dutiesOnLeaving(db: Services["db"], user: { id: string; role: Role }): Promise<{ error: "lastAdmin" | "managesMembers" | "isBackup"; count: number } | null> {
  if (user.role === "admin" && !(await db.user.count({ where: { role: "admin", deletedAt: null, id: { not: user.id } } }))) return { error: "lastAdmin", count: 1 };
  if (!isStaffRole(user.role)) return null;
  return (await staffDuties(db, user.id)) as { error: "managesMembers" | "isBackup"; count: number } | null;
}
