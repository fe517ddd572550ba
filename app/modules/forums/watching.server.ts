/**
 * Watching: who is told about new replies. Authors and repliers watch a
 * thread automatically; anyone can watch or mute a thread or a category
 * (commands, docs/decisions/017). A thread-level choice overrides the
 * category's. The fan-out runs from the outbox, so a reply's notices are
 * never lost and never doubled.
 */
import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";
import { enqueueOutboxEvent, type OutboxHandler } from "../outbox/outbox.server";
import { requestNotification } from "../notifications/notifications.server";
import { postLink } from "./links";
import { z } from "zod";
import { can } from "../policy/can";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { findReadableThread, readersOfThread } from "./category-access.server";

export const REPLY_POSTED = "forum.reply_posted";
export type WatchLevel = "watching" | "muted" | "normal";

/** Called inside the posting transaction; an explicit mute is left alone. */
export async function autoWatchThread(tx: Tx, userId: string, threadId: string) {
  await tx.forumThreadWatch.createMany({ data: [{ userId, threadId, level: "watching" }], skipDuplicates: true });
}

/**
 * Queues the reply's notices. The recipients are fixed now, inside the
 * posting transaction: someone who starts watching later was not watching
 * when this reply was written.
 */
export async function announceReply(
  tx: Tx,
  input: { threadId: string; postId: string; position: number; authorId: string; except?: string[] },
) {
  const { except = [], ...event } = input;
  // Those @mentioned in this reply get the mention notice instead.
  const recipients = (await replyRecipients(tx, input.threadId, input.authorId)).filter((id) => !except.includes(id));
  await enqueueOutboxEvent(tx, REPLY_POSTED, { ...event, recipients });
}

const WatchInput = z.object({ level: z.enum(["watching", "muted", "normal"], { errorMap: () => ({ message: "validation.required" }) }) });

/** Watching or muting a thread the actor may read (any other is not found); "normal" clears the choice. */
export const setThreadWatch = defineCommand({
  name: "forum.watch_thread",
  who: (actor) => can(actor, "forumThread.watch"),
  ref: z.object({ threadId: z.string().min(1).max(64) }),
  load: (services, { threadId }, actor) => findReadableThread(services.db, actor, threadId),
  input: WatchInput,
  async run({ tx, now, actor }, { threadId, level }) {
    const userId = actor.id;
    if (level === "normal") await tx.forumThreadWatch.deleteMany({ where: { userId, threadId } });
    else await tx.forumThreadWatch.upsert({ where: { userId_threadId: { userId, threadId } }, create: { userId, threadId, level }, update: { level, updatedAt: now } });
    return { ok: true };
  },
});

/** Watching or muting a category the actor may read (any other is not found). */
export const setCategoryWatch = defineCommand({
  name: "forum.watch_category",
  ref: z.object({ categoryId: z.string().min(1).max(64) }),
  load: (services, { categoryId }) => services.db.forumCategory.findUnique({ where: { id: categoryId }, select: { id: true, readRole: true } }),
  policy: (actor, category) => can(actor, "forumCategory.watch", category) || fail.notFound(),
  input: WatchInput,
  async run({ tx, now, actor }, { categoryId, level }) {
    const userId = actor.id;
    if (level === "normal") await tx.forumCategoryWatch.deleteMany({ where: { userId, categoryId } });
    else await tx.forumCategoryWatch.upsert({ where: { userId_categoryId: { userId, categoryId } }, create: { userId, categoryId, level }, update: { level, updatedAt: now } });
    return { ok: true };
  },
});

export async function watchLevelOf(db: Db, userId: string, target: { threadId?: string; categoryId?: string }): Promise<WatchLevel> {
  if (target.threadId) {
    const row = await db.forumThreadWatch.findUnique({ where: { userId_threadId: { userId, threadId: target.threadId } }, select: { level: true } });
    return row?.level ?? "normal";
  }
  if (target.categoryId) {
    const row = await db.forumCategoryWatch.findUnique({ where: { userId_categoryId: { userId, categoryId: target.categoryId } }, select: { level: true } });
    return row?.level ?? "normal";
  }
  return "normal";
}

/**
 * Who hears about a reply: thread watchers and category watchers, minus mutes
 * and the author. Whether each may read the thread is checked when the notice
 * is delivered (replyNotificationHandler), the one moment that counts.
 */
export async function replyRecipients(db: Db | Tx, threadId: string, authorId: string) {
  const thread = await db.forumThread.findUniqueOrThrow({ where: { id: threadId }, select: { categoryId: true } });
  const [threadWatches, categoryWatches] = await Promise.all([
    db.forumThreadWatch.findMany({ where: { threadId }, select: { userId: true, level: true } }),
    db.forumCategoryWatch.findMany({ where: { categoryId: thread.categoryId, level: "watching" }, select: { userId: true } }),
  ]);
  const mutedHere = new Set(threadWatches.filter((w) => w.level === "muted").map((w) => w.userId));
  const recipients = new Set([
    ...threadWatches.filter((w) => w.level === "watching").map((w) => w.userId),
    ...categoryWatches.map((w) => w.userId).filter((id) => !mutedHere.has(id)),
  ]);
  recipients.delete(authorId);
  return [...recipients];
}

/**
 * Fans a reply out into one notification request per recipient. The requests
 * and this handler's delivery record commit together, so a redelivery finds
 * the record and adds nothing.
 */
export function replyNotificationHandler(services: { db: Db }): OutboxHandler {
  const name = "forum.reply_notifications";
  return {
    name,
    handles: (type) => type === REPLY_POSTED,
    async deliver(event) {
      const p = event.payload as { threadId: string; postId: string; position: number; authorId: string; recipients: string[] };
      await services.db.$transaction(async (tx) => {
        const thread = await tx.forumThread.findUnique({ where: { id: p.threadId }, select: { title: true, deletedAt: true } });
        const post = await tx.forumPost.findUnique({ where: { id: p.postId }, select: { deletedAt: true, hiddenAt: true, author: { select: { displayName: true } } } });
        if (thread && !thread.deletedAt && post && !post.deletedAt && !post.hiddenAt) {
          // Checked again now: the category may have become staff-only, or a reader's role dropped.
          for (const userId of await readersOfThread(tx, p.threadId, p.recipients ?? [])) {
            await requestNotification(tx, {
              userId,
              kind: "forum.reply",
              data: { name: post.author.displayName, title: thread.title },
              link: postLink(p.threadId, p.position),
            });
          }
        }
        await tx.outboxDelivery.create({ data: { eventId: event.id, handler: name } });
      });
    },
  };
}
