/** Chat's offline fallback: email when nobody reads in time. */
import type { Services } from "../services.server";
import { requestNotification } from "../notifications/notifications.server";
import type { OutboxHandler } from "../outbox/outbox.server";
import { coverageOf } from "../presence/coverage.server";
import { CHAT_MEMBER_WROTE, CHAT_REPLY_SENT } from "./conversation.server";

/** Staff replies the member has not read after this long are emailed to them. */
export const UNREAD_EMAIL_DELAY_MS = 3 * 60_000;

/**
 * Offline fallback, from the outbox. A member's message to a manager with
 * no open tab is emailed to the manager; a staff reply still unread after
 * UNREAD_EMAIL_DELAY_MS is emailed to the member with a link back.
 */
export function chatEmailHandler(services: Pick<Services, "db" | "realtime">): OutboxHandler {
  const name = "chat.email_fallback";
  return {
    name,
    handles: (type) => type === CHAT_MEMBER_WROTE || type === CHAT_REPLY_SENT,
    async deliver(event) {
      const p = event.payload as { conversationId: string; seq: number; memberId: string; managerId?: string };
      if (event.type === CHAT_MEMBER_WROTE && p.managerId) {
        const online = await services.realtime.onlineUsers([p.managerId]);
        const read = await services.db.chatRead.findUnique({ where: { conversationId_userId: { conversationId: p.conversationId, userId: p.managerId } } });
        if (online.has(p.managerId) || (read && read.lastReadSeq >= p.seq)) return;
        const member = await services.db.user.findUniqueOrThrow({ where: { id: p.memberId }, select: { displayName: true } });
        // A named backup is told too; "any staff on duty" see it live in their inboxes.
        const backup = (await coverageOf(services.db, p.managerId))?.backupId ?? null;
        await services.db.$transaction(async (tx) => {
          const link = `/staff/inbox/${p.conversationId}`;
          await requestNotification(tx, { userId: p.managerId!, kind: "chat.member_message", data: { name: member.displayName }, link });
          if (backup && backup !== p.managerId) {
            await requestNotification(tx, { userId: backup, kind: "chat.covered_message", data: { name: member.displayName }, link });
          }
          await tx.outboxDelivery.create({ data: { eventId: event.id, handler: name } });
        });
        return;
      }
      const read = await services.db.chatRead.findUnique({ where: { conversationId_userId: { conversationId: p.conversationId, userId: p.memberId } } });
      if (read && read.lastReadSeq >= p.seq) return;
      // One email for a run of unread replies: only the newest reply's event sends it.
      const newer = await services.db.chatMessage.findFirst({
        where: { conversationId: p.conversationId, kind: "message", seq: { gt: p.seq }, senderId: { not: p.memberId } },
        select: { id: true },
      });
      if (newer) return;
      const manager = await services.db.chatMessage.findFirst({
        where: { conversationId: p.conversationId, seq: p.seq },
        select: { sender: { select: { displayName: true } } },
      });
      await services.db.$transaction(async (tx) => {
        await requestNotification(tx, { userId: p.memberId, kind: "chat.unread_reply", data: { name: manager?.sender?.displayName ?? "" }, link: "/chat" });
        await tx.outboxDelivery.create({ data: { eventId: event.id, handler: name } });
      });
    },
  };
}

