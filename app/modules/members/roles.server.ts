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
import { z } from "zod";
import { ROLES, isAdminRole, isModeratorRole, isStaffRole } from "../policy/permissions";
import type { Actor } from "../policy/actor";
import { can } from "../policy/can";
import { defineCommand } from "../commands/command.server";
import { fail, type Failure } from "../commands/failure";
import { requestNotification } from "../notifications/notifications.server";
import { AccessDenied } from "../policy/access-denied";

export type RoleChangeError = "invalidRole" | "unknown" | "deleted" | "self" | "lastAdmin" | "managesMembers" | "isBackup";

/** Whom (their id, or the email address of their account) and the role to give. */
export const RoleChangeSchema = z.object({
  userId: z.string().max(64).optional(),
  email: z.string().max(320).optional(),
  role: z.string().max(20).default(""),
});

/** Each refusal in words, for the page and the command line alike ({count} where there is one). */
export function roleChangeMessage(error: RoleChangeError, byEmail: boolean): MessageKey {
  return error === "unknown" && byEmail ? "team.error.unknownEmail" : `team.error.${error}`;
}

/** A refusal; one that blocks a demotion carries its count (how many members they manage, or managers they back up). */
const refusal = (error: RoleChangeError, count?: number) => (count === undefined ? fail.because(error) : fail.because(error, { key: `team.error.${error}`, vars: { count } }));

/** The refusal's count, for the page and the command line. */
export const refusalCount = (failure: Failure) => Number(failure.message?.vars?.count ?? 0);

/** The members someone manages, counted as /staff/assignments counts them, so the admin can reassign what blocks a demotion there. */
const managedBy = (managerId: string) => ({ accountManagerId: managerId, deletedAt: null, role: { in: ["member" as const, "moderator" as const] } });

function requireTeamManager(actor: Actor) {
  if (!can(actor, "team.manage")) throw new AccessDenied("Only an admin manages the team.");
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
async function lockTarget(tx: Tx, input: { userId?: string; email?: string }) {
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
 * Gives someone a role. A null actor is the operator at the command line
 * (server/user-role.ts: no permission to check, and nobody to be "yourself");
 * every page calls it as the signed-in admin.
 */
export const changeRole = defineCommand({
  name: "member.change_role",
  anonymous: true,
  who: (actor) => !actor || can(actor, "team.manage"),
  input: RoleChangeSchema,
  async run({ tx, actor, audit, afterCommit }, input) {
    const { role } = input;
    if (!isRole(role)) return refusal("invalidRole");
    // The admins are locked first, every time, then the person: two admins demoting each other at
    // once cannot leave nobody in charge, and two changes always lock in the same order. NO KEY
    // UPDATE, as the role update itself takes: rows that merely reference these people (an
    // assignment naming its admin) are not blocked, so an assignment racing this cannot deadlock.
    const admins = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE "role" = 'admin' AND "deletedAt" IS NULL ORDER BY "id" FOR NO KEY UPDATE`;
    const target = await lockTarget(tx, input);
    if (!target) return refusal("unknown");
    if (target.deletedAt) return refusal("deleted");
    if (actor?.id === target.id) return refusal("self");
    const user = { id: target.id, displayName: target.displayName, email: target.email };
    if (target.role === role) return { ok: true, changed: false, user, from: role, to: role };
    if (isAdminRole(target.role) && !admins.some((a) => a.id !== target.id)) return refusal("lastAdmin");
    const leavesStaff = isStaffRole(target.role) && !isStaffRole(role);
    if (leavesStaff) {
      const duty = await staffDuties(tx, target.id);
      if (duty) return refusal(duty.error, duty.count);
    }
    // Joining the staff ends having an account manager (they would keep reading this person's
    // record); leaving it ends their own cover arrangement, which only a manager of members needs.
    const joinsStaff = isStaffRole(role) && !isStaffRole(target.role);
    await tx.user.update({ where: { id: target.id }, data: { role, ...(joinsStaff ? { accountManagerId: null } : {}) } });
    if (leavesStaff) await tx.staffCoverage.deleteMany({ where: { managerId: target.id } });
    // A promoted member's search record leaves the member index by itself: the User trigger
    // enqueues "search.sync" when the role changes (migration 20261123182718_search).
    await audit({ action: "member.role_changed", targetMemberId: target.id, data: { from: target.role, to: role, ...(actor ? {} : { via: "cli" }) } });
    await requestNotification(tx, { userId: target.id, kind: "account.role_changed", data: { newRole: role }, link: landingOf(role) });
    // Their tabs reload under the new role; until then they would hear rooms joined under the old one.
    afterCommit((services) => services.realtime.closeSockets(target.id));
    return { ok: true, changed: true, user, from: target.role, to: role };
  },
});

/** Where the notification takes them: the page their new role opens. */
function landingOf(role: Role) {
  if (isModeratorRole(role)) return "/staff/moderation";
  return isStaffRole(role) ? "/staff" : "/";
}

/**
 * What keeps someone from deleting their own account: the same duties that keep an admin from
 * demoting them (the last admin; members they manage; managers they back up).
 */
export async function dutiesOnLeaving(db: Services["db"] | Tx, user: { id: string; role: Role }): Promise<{ error: "lastAdmin" | "managesMembers" | "isBackup"; count: number } | null> {
  if (isAdminRole(user.role) && !(await db.user.count({ where: { role: "admin", deletedAt: null, id: { not: user.id } } }))) return { error: "lastAdmin", count: 1 };
  if (!isStaffRole(user.role)) return null;
  return (await staffDuties(db, user.id)) as { error: "managesMembers" | "isBackup"; count: number } | null;
}
