/**
 * Presence and coverage. A staff member is online (a tab open on any
 * instance), away (a tab open but marked away) or offline. While a manager
 * is not online, whoever covers them may answer their members: the backup an
 * admin named, or, for "any staff on duty", every staff member not marked
 * away. Presence is asked of the sockets on every check, never cached, so a
 * manager coming back ends the cover at once.
 */
import { z } from "zod";
import type { Db, Services } from "../services.server";
import type { Tx } from "../db-types.server";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { isAdminRole, isStaffRole, type Actor } from "../roles";

/** Admins see every member already: only staff cover. */
const isStaffOnly = (actor: Actor) => isStaffRole(actor.role) && !isAdminRole(actor.role);

export type { Presence } from "./presence";
import type { Presence } from "./presence";

type PresenceServices = Pick<Services, "db" | "realtime">;

/** Presence of several staff members in two lookups (sockets, then the away flag). */
export async function presenceOf(services: PresenceServices, userIds: string[]): Promise<Map<string, Presence>> {
  const ids = [...new Set(userIds)];
  const result = new Map<string, Presence>();
  if (!ids.length) return result;
  const [online, rows] = await Promise.all([
    services.realtime.onlineUsers(ids),
    services.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, awaySince: true } }),
  ]);
  for (const row of rows) result.set(row.id, !online.has(row.id) ? "offline" : row.awaySince ? "away" : "online");
  return result;
}

export async function coverageOf(db: Db | Tx, managerId: string) {
  const row = await db.staffCoverage.findUnique({ where: { managerId }, select: { backupId: true } });
  if (!row) return null;
  return { backupId: row.backupId };
}

/**
 * Whether `actor` covers `managerId` right now: named (or on duty, for "any
 * staff"), and the manager is not online. `coverage` may be passed when the
 * caller already read it.
 */
export async function coversFor(
  services: PresenceServices,
  actor: Actor,
  managerId: string,
  coverage?: { backupId: string | null } | null,
): Promise<boolean> {
  if (!isStaffOnly(actor) || actor.id === managerId) return false;
  const cover = coverage === undefined ? await coverageOf(services.db, managerId) : coverage;
  if (!cover) return false;
  if (cover.backupId !== null && cover.backupId !== actor.id) return false;
  if (cover.backupId === null) {
    const me = await services.db.user.findUnique({ where: { id: actor.id }, select: { awaySince: true } });
    if (!me || me.awaySince) return false;
  }
  const presence = await presenceOf(services, [managerId]);
  return presence.get(managerId) !== "online";
}

/** Everyone who could cover this manager now, by the rule above (not checking the manager's presence). */
export async function possibleCoverers(db: Db | Tx, managerId: string): Promise<string[]> {
  const cover = await coverageOf(db, managerId);
  if (!cover) return [];
  if (cover.backupId) return cover.backupId === managerId ? [] : [cover.backupId];
  const staff = await db.user.findMany({
    where: { role: "staff", deletedAt: null, awaySince: null, id: { not: managerId } },
    select: { id: true },
  });
  return staff.map((s) => s.id);
}

/** The managers this staff member covers right now (they are not online). */
export async function managersCoveredBy(services: PresenceServices, actor: Actor): Promise<{ id: string; displayName: string }[]> {
  if (!isStaffOnly(actor)) return [];
  const me = await services.db.user.findUnique({ where: { id: actor.id }, select: { awaySince: true } });
  const rows = await services.db.staffCoverage.findMany({
    where: { managerId: { not: actor.id }, OR: [{ backupId: actor.id }, ...(me?.awaySince ? [] : [{ backupId: null }])] },
    select: { manager: { select: { id: true, displayName: true, deletedAt: true } } },
  });
  const managers = rows.map((r) => r.manager).filter((m) => !m.deletedAt);
  const presence = await presenceOf(services, managers.map((m) => m.id));
  return managers.filter((m) => presence.get(m.id) !== "online").map((m) => ({ id: m.id, displayName: m.displayName }));
}

export const CoverageSchema = z.object({
  managerId: z.string().min(1).max(64),
  // "none": nobody covers; "any": any staff on duty; otherwise a staff member's id.
  backup: z.string().min(1).max(64),
});

/** An admin names who covers a manager (a staff member, any staff on duty, or nobody). */
export const setCoverage = defineCommand({
  name: "presence.setCoverage",
  who: (actor) => isAdminRole(actor.role),
  input: CoverageSchema,
  async run({ tx, actor, audit }, { managerId, backup }) {
    const staffIds = [managerId, ...(backup !== "none" && backup !== "any" ? [backup] : [])];
    const staff = await tx.user.findMany({ where: { id: { in: staffIds }, role: { in: ["staff", "admin"] }, deletedAt: null }, select: { id: true } });
    if (staff.length !== new Set(staffIds).size) return fail.because("notStaff");
    if (backup === managerId) return fail.because("self");
    if (backup === "none") await tx.staffCoverage.deleteMany({ where: { managerId } });
    else {
      const backupId = backup === "any" ? null : backup;
      await tx.staffCoverage.upsert({ where: { managerId }, create: { managerId, backupId, setById: actor.id }, update: { backupId, setById: actor.id } });
    }
    await audit({ action: "staff.coverage_set", subject: { type: "user", id: managerId }, data: { backup } });
    return { ok: true };
  },
});
