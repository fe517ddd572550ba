/**
 * What people do with posts after writing them: react, accept an answer,
 * edit (keeping the history), delete, and what moderators do to threads and
 * posts (pin, lock, rename, move, hide, restore), every moderation step
 * audited. Each is a command (docs/decisions/017); what readers of the thread
 * see change is published to its live room after the commit.
 */
import { z } from "zod";
import { Prisma } from "~/generated/prisma/client";
import type { Db, Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { can } from "../policy/can";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { notifyMentions, renderForumPost } from "./mentions.server";
import { newSortableId } from "../ids.server";
import { postBody, REACTION_KINDS } from "./forum-schemas";
import { readableCategoryWhere, readableThreadWhere, rolesThatRead } from "./category-access.server";
import { closeLiveThreads } from "./categories.server";
import { publishPost, readableThread, threadRoom, ThreadRef } from "./forums.server";

const PostRef = z.object({ postId: z.string().min(1).max(64) });

/** A live post in a thread the actor may read; any other is not found. */
async function livePost(db: Db, actor: Actor, postId: string) {
  return db.forumPost.findFirst({
    where: { id: postId, deletedAt: null, thread: readableThreadWhere(actor) },
    select: { id: true, authorId: true, threadId: true, position: true, hiddenAt: true, bodyMarkdown: true, thread: { select: { authorId: true, title: true } } },
  });
}

/** Adds the reaction, or takes it back if it was there. One of each kind per member; a hidden post takes none. */
export const toggleReaction = defineCommand({
  name: "forum.react",
  ref: PostRef,
  load: async (services, { postId }, actor) => {
    const post = await livePost(services.db, actor, postId);
    return post && !post.hiddenAt ? post : null;
  },
  policy: (actor, post) => can(actor, "forumPost.react", post) || fail.because("ownPost"),
  input: z.object({ kind: z.enum(REACTION_KINDS, { errorMap: () => ({ message: "validation.required" }) }) }),
  async run({ tx, now, actor, touchpoint }, { postId, kind }, post) {
    const removed = await tx.forumReaction.deleteMany({ where: { postId, userId: actor.id, kind } });
    if (removed.count) return { ok: true, reacted: false };
    await tx.forumReaction.createMany({ data: [{ postId, userId: actor.id, kind, createdAt: now }], skipDuplicates: true });
    await touchpoint({
      memberId: actor.id, kind: "forum.reacted", actorId: actor.id,
      subject: { type: "forum_thread", id: post.threadId }, data: { title: post.thread.title, reaction: kind },
    });
    return { ok: true, reacted: true };
  },
});

/**
 * The thread's author or staff mark one reply as the answer, or clear it (postId null). Clearing
 * takes credit from the answerer: their history shows it and the audit names who did it.
 */
export const markAnswerAccepted = defineCommand({
  name: "forum.accept_answer",
  ref: ThreadRef,
  load: (services, { threadId }, actor) =>
    services.db.forumThread.findFirst({ where: { id: threadId, ...readableThreadWhere(actor) }, select: { authorId: true, title: true, solvedPostId: true } }),
  policy: (actor, thread) => can(actor, "forumThread.acceptAnswer", thread),
  input: z.object({ postId: z.string().min(1).max(64).nullable() }),
  async run({ tx, actor, touchpoint, audit }, { threadId, postId }, thread) {
    const subject = { type: "forum_thread", id: threadId };
    if (postId === null) {
      if (!thread.solvedPostId) return { ok: true };
      const answer = await tx.forumPost.findUnique({ where: { id: thread.solvedPostId }, select: { authorId: true } });
      await tx.forumThread.update({ where: { id: threadId }, data: { solvedPostId: null } });
      if (answer) {
        await touchpoint({ memberId: answer.authorId, kind: "forum.answer_unaccepted", actorId: actor.id, subject, data: { title: thread.title } });
        await audit({ action: "forum.answer_unaccepted", targetMemberId: answer.authorId, subject: { type: "forum_post", id: thread.solvedPostId } });
      }
      return { ok: true };
    }
    const post = await tx.forumPost.findFirst({ where: { id: postId, threadId, deletedAt: null, position: { gt: 1 } }, select: { authorId: true } });
    if (!post) return fail.notFound();
    await tx.forumThread.update({ where: { id: threadId }, data: { solvedPostId: postId } });
    await touchpoint({ memberId: post.authorId, kind: "forum.answer_accepted", actorId: actor.id, subject, data: { title: thread.title } });
    return { ok: true };
  },
});

export const editPost = defineCommand({
  name: "forum.edit_post",
  ref: PostRef,
  load: (services, { postId }, actor) => livePost(services.db, actor, postId),
  policy: (actor, post) => can(actor, "forumPost.edit", post),
  input: z.object({ body: postBody }),
  async run(steps, { postId, body }, post) {
    const { tx, now, actor, audit } = steps;
    if (post.bodyMarkdown === body) return { ok: true };
    const rendered = await renderForumPost(tx, body);
    if (rendered.tooManyMentions) return fail.field("body", "forum.tooManyMentions");
    // Only people newly mentioned by the edit are told.
    await notifyMentions(tx, { postId, threadId: post.threadId, position: post.position, authorId: post.authorId, mentioned: rendered.mentioned });
    await tx.forumPostRevision.create({ data: { id: newSortableId(now), postId, bodyMarkdown: post.bodyMarkdown, editorId: actor.id, replacedAt: now } });
    await tx.forumPost.update({ where: { id: postId }, data: { bodyMarkdown: body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, editedAt: now } });
    if (post.authorId !== actor.id) await audit({ action: "forum.post_edited", targetMemberId: post.authorId, subject: { type: "forum_post", id: postId } });
    await publishPost(steps, "forum:post_edited", post.threadId, postId);
    return { ok: true };
  },
});

/** A soft delete: the post keeps its place with a placeholder. Deleting the opening post deletes the thread. */
export const deletePost = defineCommand({
  name: "forum.delete_post",
  ref: PostRef,
  load: (services, { postId }, actor) => livePost(services.db, actor, postId),
  policy: (actor, post) => can(actor, "forumPost.delete", post),
  async run(steps, { postId }, post) {
    const { tx, now, actor, audit, afterCommit } = steps;
    await tx.forumPost.update({ where: { id: postId }, data: { deletedAt: now } });
    const threadDeleted = post.position === 1;
    if (threadDeleted) await tx.forumThread.update({ where: { id: post.threadId }, data: { deletedAt: now } });
    if (post.authorId !== actor.id) await audit({ action: "forum.post_deleted", targetMemberId: post.authorId, subject: { type: "forum_post", id: postId } });
    if (threadDeleted) afterCommit((services) => closeLiveThreads(services, [post.threadId], [], "deleted"));
    else await publishPost(steps, "forum:post_deleted", post.threadId, postId);
    return { ok: true, threadDeleted };
  },
});

/** The old versions of a post, for moderators; null for anyone else. */
export async function postRevisions(services: Services, actor: Actor, postId: string) {
  if (!can(actor, "forumPost.history")) return null;
  return services.db.forumPostRevision.findMany({
    where: { postId, post: { thread: readableThreadWhere(actor) } },
    orderBy: { replacedAt: "desc" },
    select: { id: true, bodyMarkdown: true, replacedAt: true, editorId: true },
  });
}

export const THREAD_MODERATION = ["pin", "unpin", "lock", "unlock"] as const;
export type ThreadModeration = (typeof THREAD_MODERATION)[number];

export const moderateThread = defineCommand({
  name: "forum.moderate_thread",
  who: (actor) => can(actor, "forumThread.moderate"),
  ref: ThreadRef,
  load: (services, { threadId }, actor) => readableThread(services.db, actor, threadId),
  input: z.object({ action: z.enum(THREAD_MODERATION) }),
  async run({ tx, now, audit }, { threadId, action }) {
    const data = action === "pin" ? { pinnedAt: now } : action === "unpin" ? { pinnedAt: null } : action === "lock" ? { lockedAt: now } : { lockedAt: null };
    await tx.forumThread.update({ where: { id: threadId }, data });
    await audit({ action: `forum.thread_${action}` as const, subject: { type: "forum_thread", id: threadId } });
    return { ok: true };
  },
});

const blankIsAbsent = (value: unknown) => (value === "" ? undefined : value);

/**
 * Moderators rename a thread or move it to another category; both audited. Readers who may
 * still read it see the change live; those who may not any more are taken out of its room and told.
 */
export const renameOrMoveThread = defineCommand({
  name: "forum.rename_or_move_thread",
  who: (actor) => can(actor, "forumThread.moderate"),
  ref: ThreadRef,
  load: (services, { threadId }, actor) => readableThread(services.db, actor, threadId),
  input: z.object({
    title: z.string().trim().min(8, "forum.titleTooShort").max(140, "forum.titleTooLong").optional(),
    categoryId: z.preprocess(blankIsAbsent, z.string().max(64).optional()),
  }),
  async run({ tx, actor, audit, afterCommit, toRoom }, { threadId, title, categoryId }, thread) {
    // Only into a category the moderator may read: nobody moves a thread out of their own sight.
    const target = categoryId ? await tx.forumCategory.findFirst({ where: { id: categoryId, ...readableCategoryWhere(actor) }, select: { id: true } }) : null;
    if (categoryId && !target) return fail.field("categoryId", "forum.categoryRequired");
    const moved = await tx.forumThread.update({
      where: { id: threadId },
      data: { ...(title ? { title } : {}), ...(categoryId ? { categoryId } : {}) },
      select: { title: true, category: { select: { id: true, slug: true, nameVi: true, nameEn: true, color: true, readRole: true } } },
    });
    await audit({
      action: "forum.thread_renamed_or_moved", subject: { type: "forum_thread", id: threadId },
      data: { fromTitle: thread.title, toTitle: moved.title, fromCategory: thread.categoryId, toCategory: moved.category.id },
    });
    // Those who may no longer read it leave the room first: the new category's name is not theirs to hear.
    if (moved.category.id !== thread.categoryId) afterCommit((services) => closeLiveThreads(services, [threadId], rolesThatRead(moved.category.readRole), "unreadable"));
    toRoom(threadRoom(threadId), "forum:thread_moved", { threadId, title: moved.title, category: moved.category });
    return { ok: true };
  },
});

export const setPostHidden = defineCommand({
  name: "forum.hide_post",
  who: (actor) => can(actor, "forumPost.hide"),
  ref: PostRef,
  load: (services, { postId }, actor) => livePost(services.db, actor, postId),
  input: z.object({ hidden: z.boolean() }),
  async run(steps, { postId, hidden }, post) {
    const { tx, now, audit } = steps;
    await tx.forumPost.update({ where: { id: postId }, data: { hiddenAt: hidden ? now : null } });
    await audit({ action: hidden ? "forum.post_hidden" : "forum.post_restored", targetMemberId: post.authorId, subject: { type: "forum_post", id: postId } });
    await publishPost(steps, hidden ? "forum:post_hidden" : "forum:post_restored", post.threadId, postId);
    return { ok: true };
  },
});

export async function reactionSummary(services: Services, postIds: string[], viewerId: string | null) {
  const summary: Record<string, Record<string, { count: number; mine: boolean }>> = {};
  for (const id of postIds) summary[id] = Object.fromEntries(REACTION_KINDS.map((k) => [k, { count: 0, mine: false }]));
  if (!postIds.length) return summary;
  // Counts and the viewer's own in one statement: a thread page shows up to 50 posts.
  const rows = await services.db.$queryRaw<{ postId: string; kind: string; n: number; mine: boolean }[]>`
    SELECT "postId", "kind"::text AS "kind", count(*)::int AS n, coalesce(bool_or("userId" = ${viewerId}), false) AS mine
    FROM "ForumReaction" WHERE "postId" IN (${Prisma.join(postIds)})
    GROUP BY "postId", "kind"`;
  for (const r of rows) summary[r.postId]![r.kind] = { count: r.n, mine: r.mine };
  return summary;
}
