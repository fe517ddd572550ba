/**
 * Unread tracking: the highest post position a member has seen in each
 * thread. Lists mark threads with newer posts, and links open a thread at
 * its first unread post.
 */
import type { Db } from "../services.server";

export async function markThreadRead(db: Db, userId: string, threadId: string, position: number) {
  // Never move backwards: reading an old page does not make newer posts unread.
  await db.$executeRaw`
    INSERT INTO "ForumThreadRead" ("userId", "threadId", "lastReadPosition", "updatedAt")
    VALUES (${userId}, ${threadId}, ${position}, now())
    ON CONFLICT ("userId", "threadId") DO UPDATE
      SET "lastReadPosition" = GREATEST("ForumThreadRead"."lastReadPosition", EXCLUDED."lastReadPosition"), "updatedAt" = now()`;
}

/** For each thread: how many posts are new to this reader (null: never opened). */
export async function unreadCounts(db: Db, userId: string, threads: { id: string; replyCount: number }[]) {
  const reads = await db.forumThreadRead.findMany({
    where: { userId, threadId: { in: threads.map((t) => t.id) } },
    select: { threadId: true, lastReadPosition: true },
  });
  const seen = Object.fromEntries(reads.map((r) => [r.threadId, r.lastReadPosition]));
  return Object.fromEntries(
    threads.map((t) => {
      const last = seen[t.id];
      return [t.id, last === undefined ? null : Math.max(0, t.replyCount + 1 - last)];
    }),
  ) as Record<string, number | null>;
}

export async function lastReadPosition(db: Db, userId: string, threadId: string) {
  const row = await db.forumThreadRead.findUnique({ where: { userId_threadId: { userId, threadId } }, select: { lastReadPosition: true } });
  return row?.lastReadPosition ?? 0;
}
