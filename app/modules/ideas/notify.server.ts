/**
 * Fan-out of idea notices through the outbox: a status change to every
 * follower, a new comment to every follower but its writer. The recipients
 * are fixed in the writing transaction; the handler turns the event into one
 * notification request per recipient and records its delivery in the same
 * transaction, so a redelivery adds nothing (the forum reply pattern).
 */
import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";
import { requestNotification } from "../notifications/notifications.server";
import { enqueueOutboxEvent, type OutboxHandler } from "../outbox/outbox.server";
import { markdownToPlainText } from "../markdown/render.server";

export const IDEA_STATUS_CHANGED = "idea.status_changed";
export const IDEA_COMMENTED = "idea.commented";

/** Queues the notice of a new comment for the idea's followers (not its writer). */
export async function announceComment(tx: Tx, input: { ideaId: string; commentId: string; authorId: string }) {
  const follows = await tx.ideaFollow.findMany({ where: { ideaId: input.ideaId, following: true, userId: { not: input.authorId } }, select: { userId: true } });
  if (follows.length) await enqueueOutboxEvent(tx, IDEA_COMMENTED, { ...input, recipients: follows.map((f) => f.userId) });
}

export function ideaNotificationHandler(services: { db: Db }): OutboxHandler {
  const name = "ideas.notifications";
  return {
    name,
    handles: (type) => type === IDEA_STATUS_CHANGED || type === IDEA_COMMENTED,
    async deliver(event) {
      await services.db.$transaction(async (tx) => {
        if (event.type === IDEA_STATUS_CHANGED) {
          const p = event.payload as { ideaId: string; changeId: string; recipients: string[] };
          const change = await tx.ideaStatusChange.findUnique({
            where: { id: p.changeId },
            select: { toStatus: true, commentMarkdown: true, idea: { select: { title: true, deletedAt: true } } },
          });
          if (change && !change.idea.deletedAt) {
            // The staff's comment is why followers are told: the email carries it, as plain text.
            const detail = change.commentMarkdown ? markdownToPlainText(change.commentMarkdown) : null;
            for (const userId of p.recipients ?? []) {
              await requestNotification(tx, { userId, kind: "idea.status_changed", data: { title: change.idea.title, status: change.toStatus }, link: `/ideas/${p.ideaId}`, detail });
            }
          }
        } else {
          const p = event.payload as { ideaId: string; commentId: string; recipients: string[] };
          const comment = await tx.ideaComment.findUnique({
            where: { id: p.commentId },
            select: { deletedAt: true, author: { select: { displayName: true } }, idea: { select: { title: true, deletedAt: true } } },
          });
          if (comment && !comment.deletedAt && !comment.idea.deletedAt) {
            for (const userId of p.recipients ?? []) {
              await requestNotification(tx, {
                userId, kind: "idea.comment", data: { name: comment.author.displayName, title: comment.idea.title }, link: `/ideas/${p.ideaId}#comment-${p.commentId}`,
              });
            }
          }
        }
        await tx.outboxDelivery.create({ data: { eventId: event.id, handler: name } });
      });
    },
  };
}
