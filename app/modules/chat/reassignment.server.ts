/**
 * When a member's manager changes, or a manager's presence does: the member
 * is told in their conversation, rooms are left, cover ends, inboxes refresh.
 */
import { z } from "zod";
import type { Services } from "../services.server";
import type { Tx } from "../db-types.server";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { isAdminRole, isStaffRole } from "../policy/permissions";
import { newSortableId } from "../ids.server";
import { possibleCoverers, presenceOf } from "../presence/coverage.server";
import { MESSAGE_SELECT, chatRoom, chatStaffRoom, toView } from "./conversation.server";
import { announceInbox, tellStaffInbox } from "./inbox.server";

/**
 * Inside a reassignment's transaction: the member is told in their
 * conversation who their new manager is. Nothing when they never chatted
 * (the notification and the /chat header tell them).
 */
export async function recordManagerChange(tx: Tx, input: { memberId: string; managerName: string | null; now: Date }) {
  const conversation = await tx.conversation.findUnique({ where: { memberId: input.memberId }, select: { id: true } });
  if (!conversation) return null;
  const { lastSeq } = await tx.conversation.update({ where: { id: conversation.id }, data: { lastSeq: { increment: 1 } }, select: { lastSeq: true } });
  const id = newSortableId(input.now);
  await tx.chatMessage.create({
    data: {
      id, conversationId: conversation.id, seq: lastSeq, senderId: null, clientId: `event-${id}`, kind: "event",
      body: "", bodyHtml: "", rendererVersion: 0, data: { type: "manager_changed", name: input.managerName }, createdAt: input.now,
    },
  });
  return { conversationId: conversation.id, messageId: id };
}

/**
 * After the reassignment commits: open tabs see the event, the previous
 * manager's sockets leave the conversation's rooms (their next event would
 * be refused anyway; this stops live messages reaching them now), and both
 * managers' inboxes refresh.
 */
export async function afterManagerChange(
  services: Services,
  input: { memberId: string; previousManagerId: string | null; newManagerId: string | null; posted: { conversationId: string; messageId: string } | null },
) {
  if (input.newManagerId) await broadcastPresence(services, input.newManagerId, [input.memberId]);
  if (!input.posted) return;
  const { conversationId, messageId } = input.posted;
  const row = await services.db.chatMessage.findUniqueOrThrow({ where: { id: messageId }, select: MESSAGE_SELECT });
  services.realtime.toRoom(chatRoom(conversationId), "chat:message", toView(row));
  if (input.previousManagerId) {
    const previous = await services.db.user.findUnique({ where: { id: input.previousManagerId }, select: { role: true } });
    if (!isAdminRole(previous?.role)) services.realtime.leaveRooms([input.previousManagerId], [chatRoom(conversationId), chatStaffRoom(conversationId)]);
    await tellStaffInbox(services, [input.previousManagerId], conversationId);
  }
  await announceInbox(services, conversationId);
}

/** Tells a manager's members (or the given ones) the manager's presence, for their chat header. */
export async function broadcastPresence(services: Services, managerId: string, memberIds?: string[]) {
  const presence = (await presenceOf(services, [managerId])).get(managerId) ?? "offline";
  const members = memberIds ?? (await services.db.user.findMany({ where: { accountManagerId: managerId, deletedAt: null }, select: { id: true } })).map((m) => m.id);
  for (const memberId of members) services.realtime.toUser(memberId, "chat:presence", { managerId, presence });
  return presence;
}

/**
 * A manager is back online (or coverage changed): whoever covered them
 * leaves the rooms of their members' conversations and their inboxes
 * refresh, so cover ends at once and not at the next event.
 */
export async function endCover(services: Services, managerId: string, coverers?: string[]) {
  const who = coverers ?? (await possibleCoverers(services.db, managerId));
  if (!who.length) return;
  const conversations = await services.db.conversation.findMany({ where: { member: { accountManagerId: managerId } }, select: { id: true } });
  const rooms = conversations.flatMap((c) => [chatRoom(c.id), chatStaffRoom(c.id)]);
  if (rooms.length) services.realtime.leaveRooms(who, rooms);
  await tellStaffInbox(services, who, "");
}

/** The manager's presence changed (a tab opened or the last one closed, or away toggled). */
export async function presenceChanged(services: Services, managerId: string) {
  const presence = await broadcastPresence(services, managerId);
  if (presence === "online") await endCover(services, managerId);
  else await tellStaffInbox(services, await possibleCoverers(services.db, managerId), "");
  return presence;
}

/** A staff member marks themself away (or back): their members see it, and cover starts or ends. */
export const setAway = defineCommand({
  name: "chat.setAway",
  policy: (actor) => isStaffRole(actor.role) || fail.because("forbidden", { key: "chat.error.awayStaffOnly" }),
  input: z.object({ away: z.boolean({ required_error: "chat.error.away", invalid_type_error: "chat.error.away" }) }),
  async run({ tx, now, actor, afterCommit }, { away }) {
    await tx.user.update({ where: { id: actor.id }, data: { awaySince: away ? now : null } });
    afterCommit((services) => presenceChanged(services, actor.id));
    // The caller asks from an open tab, so they are online: away or not is the whole answer.
    return { ok: true, presence: away ? ("away" as const) : ("online" as const) };
  },
});
