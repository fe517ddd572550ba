/**
 * The account manager: who looks after a member, who assigns them (admins),
 * and the history of both.
 */
import { z } from "zod";
import type { Db } from "../services.server";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { can } from "../policy/can";
import { isStaffRole } from "../policy/permissions";
import { requestNotification } from "../notifications/notifications.server";
import { afterManagerChange, recordManagerChange } from "../chat/chat.server";
import { newSortableId } from "../ids.server";
import { MemberRef } from "./member-ref.server";

export const changeAccountManager = defineCommand({
  name: "member.change_account_manager",
  who: (actor) => can(actor, "member.assignManager"),
  ref: MemberRef,
  load: (services, { memberId }) => services.db.user.findUnique({ where: { id: memberId }, select: { id: true } }),
  input: z.object({ managerId: z.string().min(1).max(64).nullable() }),
  async run({ tx, actor, now, touchpoint, audit, afterCommit }, { memberId, managerId }) {
    if (managerId) {
      // Read under a share lock: a demotion of this manager (which locks the row for update and
      // counts their members, ADR 012) waits for this assignment, or this one sees the new role.
      const [manager] = await tx.$queryRaw<{ role: string; deletedAt: Date | null }[]>`SELECT "role", "deletedAt" FROM "User" WHERE "id" = ${managerId} FOR SHARE`;
      if (!manager || manager.deletedAt || !isStaffRole(manager.role)) return fail.because("notStaff");
    }
    const member = await tx.user.findUniqueOrThrow({
      where: { id: memberId },
      select: { accountManagerId: true, accountManager: { select: { displayName: true } } },
    });
    if (member.accountManagerId === managerId) return { ok: true };
    await tx.accountManagerAssignment.updateMany({ where: { memberId, endedAt: null }, data: { endedAt: now } });
    await tx.accountManagerAssignment.create({ data: { id: newSortableId(now), memberId, managerId, assignedById: actor.id, startedAt: now } });
    const updated = await tx.user.update({
      where: { id: memberId },
      data: { accountManagerId: managerId },
      select: { displayName: true, accountManager: { select: { displayName: true } } },
    });
    await touchpoint({ memberId, kind: "account_manager.changed", actorId: actor.id, data: { from: member.accountManager?.displayName ?? null, to: updated.accountManager?.displayName ?? null } });
    await audit({ action: "member.account_manager_changed", targetMemberId: memberId, data: { managerId } });
    if (updated.accountManager) {
      await requestNotification(tx, { userId: memberId, kind: "account_manager.changed", data: { name: updated.accountManager.displayName }, link: "/chat" });
    }
    if (managerId) {
      await requestNotification(tx, { userId: managerId, kind: "account_manager.assigned", data: { name: updated.displayName }, link: `/staff/members/${memberId}` });
    }
    // The conversation follows the member; they read there who answers now.
    const posted = await recordManagerChange(tx, { memberId, managerName: updated.accountManager?.displayName ?? null, now });
    afterCommit((services) => afterManagerChange(services, { memberId, newManagerId: managerId, previousManagerId: member.accountManagerId, posted }));
    return { ok: true };
  },
});

export async function accountManagerHistory(db: Db, memberId: string) {
  const rows = await db.accountManagerAssignment.findMany({
    where: { memberId },
    orderBy: { startedAt: "desc" },
    select: { id: true, managerId: true, startedAt: true, endedAt: true },
  });
  const managers = await db.user.findMany({
    where: { id: { in: rows.map((r) => r.managerId).filter((v): v is string => !!v) } },
    select: { id: true, displayName: true },
  });
  const names = Object.fromEntries(managers.map((m) => [m.id, m.displayName]));
  return rows.map((r) => ({ ...r, managerName: r.managerId ? (names[r.managerId] ?? null) : null }));
}
