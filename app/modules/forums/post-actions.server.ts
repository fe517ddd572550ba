/**
 * What people do with posts after writing them: react, accept an answer,
 * edit (keeping the history), delete, and what moderators do to threads and
 * posts (pin, lock, hide, restore), every moderation step audited.
 */
import { Prisma } from "~/generated/prisma/client";
import type { Services } from "../services.server";
import type { Actor } from "../members/access.server";
import { hasPermission } from "../policy/permissions";
import { recordTouchpoint } from "../timeline/touchpoints.server";
import { recordAudit } from "../audit/audit.server";
import { notifyMentions, renderForumPost } from "./mentions.server";
import { newSortableId } from "../ids.server";
import { postBody, REACTION_KINDS } from "./forum-schemas";
import { readableCategoryWhere, readableThreadWhere } from "./category-access.server";
import { closeLiveThreads } from "./categories.server";


type Fail<E extends string> = { ok: false; error: E };

const isModerator = (actor: Actor) => hasPermission(actor, "post:hide:any");

/** A live post in a thread the actor may read; any other is not found. */
async function livePost(services: Services, actor: Actor, postId: string) {
  return services.db.forumPost.findFirst({
    where: { id: postId, deletedAt: null, thread: readableThreadWhere(actor) },
    select: { id: true, authorId: true, threadId: true, position: true, hiddenAt: true, bodyMarkdown: true, thread: { select: { authorId: true, title: true } } },
  });
}

/** Adds the reaction, or takes it back if it was there. One of each kind per member. */
export async function toggleReaction(
  services: Services,
  actor: Actor,
  postId: string,
  kind: string,
): Promise<{ ok: true; reacted: boolean } | Fail<"notFound" | "ownPost" | "invalid">> {
  if (!(REACTION_KINDS as readonly string[]).includes(kind)) return { ok: false, error: "invalid" };
  const post = await livePost(services, actor, postId);
  if (!post || post.hiddenAt) return { ok: false, error: "notFound" };
  if (post.authorId === actor.id) return { ok: false, error: "ownPost" };
  const now = services.clock.now();
  const reacted = await services.db.$transaction(async (tx) => {
    const removed = await tx.forumReaction.deleteMany({ where: { postId, userId: actor.id, kind } });
    if (removed.count) return false;
    await tx.forumReaction.createMany({ data: [{ postId, userId: actor.id, kind, createdAt: now }], skipDuplicates: true });
    await recordTouchpoint(tx, {
      memberId: actor.id, kind: "forum.reacted", actorId: actor.id,
      subject: { type: "forum_thread", id: post.threadId }, data: { title: post.thread.title, reaction: kind }, at: now,
    });
    return true;
  });
  return { ok: true, reacted };
}

/** The thread's author or staff mark one reply as the answer (or clear it with null). */
export async function markAnswerAccepted(
  services: Services,
  actor: Actor,
  threadId: string,
  postId: string | null,
): Promise<{ ok: true } | Fail<"notFound" | "notAllowed">> {
  const thread = await services.db.forumThread.findFirst({ where: { id: threadId, ...readableThreadWhere(actor) }, select: { authorId: true, title: true } });
  if (!thread) return { ok: false, error: "notFound" };
  const staff = actor.role === "staff" || actor.role === "admin";
  if (thread.authorId !== actor.id && !staff) return { ok: false, error: "notAllowed" };
  const now = services.clock.now();
  if (postId === null) {
    await services.db.forumThread.update({ where: { id: threadId }, data: { solvedPostId: null } });
    return { ok: true };
  }
  const post = await livePost(services, actor, postId);
  if (!post || post.threadId !== threadId || post.position === 1) return { ok: false, error: "notFound" };
  await services.db.$transaction(async (tx) => {
    await tx.forumThread.update({ where: { id: threadId }, data: { solvedPostId: postId } });
    await recordTouchpoint(tx, {
      memberId: post.authorId, kind: "forum.answer_accepted", actorId: actor.id,
      subject: { type: "forum_thread", id: threadId }, data: { title: thread.title }, at: now,
    });
  });
  return { ok: true };
}

export async function editPost(
  services: Services,
  actor: Actor,
  postId: string,
  body: string,
): Promise<{ ok: true } | Fail<"notFound" | "notAllowed"> | { ok: false; error: "invalid"; fieldErrors: Record<string, string[]> }> {
  const parsed = postBody.safeParse(body);
  if (!parsed.success) return { ok: false, error: "invalid", fieldErrors: { body: parsed.error.issues.map((i) => i.message) } };
  const post = await livePost(services, actor, postId);
  if (!post) return { ok: false, error: "notFound" };
  if (post.authorId !== actor.id && !isModerator(actor)) return { ok: false, error: "notAllowed" };
  if (post.bodyMarkdown === parsed.data) return { ok: true };
  const rendered = await renderForumPost(services.db, parsed.data);
  if (rendered.tooManyMentions) return { ok: false, error: "invalid", fieldErrors: { body: ["forum.tooManyMentions"] } };
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    // Only people newly mentioned by the edit are told.
    await notifyMentions(tx, { postId, threadId: post.threadId, position: post.position, authorId: post.authorId, mentioned: rendered.mentioned });
    await tx.forumPostRevision.create({ data: { id: newSortableId(now), postId, bodyMarkdown: post.bodyMarkdown, editorId: actor.id, replacedAt: now } });
    await tx.forumPost.update({
      where: { id: postId },
      data: { bodyMarkdown: parsed.data, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, editedAt: now },
    });
    if (post.authorId !== actor.id) {
      await recordAudit(tx, { actorId: actor.id, action: "forum.post_edited", targetMemberId: post.authorId, subject: { type: "forum_post", id: postId }, at: now });
    }
  });
  return { ok: true };
}

/** A soft delete: the post keeps its place with a placeholder. Deleting the opening post deletes the thread. */
export async function deletePost(services: Services, actor: Actor, postId: string): Promise<{ ok: true; threadDeleted: boolean } | Fail<"notFound" | "notAllowed">> {
  const post = await livePost(services, actor, postId);
  if (!post) return { ok: false, error: "notFound" };
  if (post.authorId !== actor.id && !isModerator(actor)) return { ok: false, error: "notAllowed" };
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    await tx.forumPost.update({ where: { id: postId }, data: { deletedAt: now } });
    if (post.position === 1) await tx.forumThread.update({ where: { id: post.threadId }, data: { deletedAt: now } });
    if (post.authorId !== actor.id) {
      await recordAudit(tx, { actorId: actor.id, action: "forum.post_deleted", targetMemberId: post.authorId, subject: { type: "forum_post", id: postId }, at: now });
    }
  });
  return { ok: true, threadDeleted: post.position === 1 };
}

export async function postRevisions(services: Services, actor: Actor, postId: string) {
  if (!isModerator(actor)) return null;
  return services.db.forumPostRevision.findMany({
    where: { postId, post: { thread: readableThreadWhere(actor) } },
    orderBy: { replacedAt: "desc" },
    select: { id: true, bodyMarkdown: true, replacedAt: true, editorId: true },
  });
}

export const THREAD_MODERATION = ["pin", "unpin", "lock", "unlock"] as const;
export type ThreadModeration = (typeof THREAD_MODERATION)[number];

export async function moderateThread(
  services: Services,
  actor: Actor,
  threadId: string,
  action: string,
): Promise<{ ok: true } | Fail<"notFound" | "notAllowed" | "invalid">> {
  if (!(THREAD_MODERATION as readonly string[]).includes(action)) return { ok: false, error: "invalid" };
  if (!hasPermission(actor, "thread:lock:any")) return { ok: false, error: "notAllowed" };
  const thread = await services.db.forumThread.findFirst({ where: { id: threadId, ...readableThreadWhere(actor) }, select: { authorId: true } });
  if (!thread) return { ok: false, error: "notFound" };
  const now = services.clock.now();
  const data =
    action === "pin" ? { pinnedAt: now } : action === "unpin" ? { pinnedAt: null } : action === "lock" ? { lockedAt: now } : { lockedAt: null };
  await services.db.$transaction(async (tx) => {
    await tx.forumThread.update({ where: { id: threadId }, data });
    await recordAudit(tx, { actorId: actor.id, action: `forum.thread_${action}` as "forum.thread_pin", subject: { type: "forum_thread", id: threadId }, at: now });
  });
  return { ok: true };
}

/** Moderators rename a thread or move it to another category; both audited. */
export async function renameOrMoveThread(
  services: Services,
  actor: Actor,
  threadId: string,
  input: { title?: string; categoryId?: string },
): Promise<{ ok: true } | Fail<"notFound" | "notAllowed" | "invalid">> {
  if (!hasPermission(actor, "thread:lock:any")) return { ok: false, error: "notAllowed" };
  const thread = await services.db.forumThread.findFirst({ where: { id: threadId, ...readableThreadWhere(actor) }, select: { title: true, categoryId: true } });
  if (!thread) return { ok: false, error: "notFound" };
  const title = input.title?.trim();
  if (title !== undefined && (title.length < 8 || title.length > 140)) return { ok: false, error: "invalid" };
  // Only into a category the moderator may read: nobody moves a thread out of their own sight.
  const target = input.categoryId
    ? await services.db.forumCategory.findFirst({ where: { id: input.categoryId, ...readableCategoryWhere(actor) }, select: { readRole: true } })
    : null;
  if (input.categoryId && !target) return { ok: false, error: "invalid" };
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    await tx.forumThread.update({
      where: { id: threadId },
      data: { ...(title ? { title } : {}), ...(input.categoryId ? { categoryId: input.categoryId } : {}) },
    });
    await recordAudit(tx, {
      actorId: actor.id, action: "forum.thread_renamed_or_moved", subject: { type: "forum_thread", id: threadId },
      data: { fromTitle: thread.title, toTitle: title ?? thread.title, fromCategory: thread.categoryId, toCategory: input.categoryId ?? thread.categoryId },
      at: now,
    });
  });
  // Into a staff-only category: members' and moderators' open tabs leave its live room, as when a category changes its readers.
  if (target && input.categoryId !== thread.categoryId) await closeLiveThreads(services, [threadId], target.readRole);
  return { ok: true };
}

export async function setPostHidden(
  services: Services,
  actor: Actor,
  postId: string,
  hidden: boolean,
): Promise<{ ok: true } | Fail<"notFound" | "notAllowed">> {
  if (!isModerator(actor)) return { ok: false, error: "notAllowed" };
  const post = await livePost(services, actor, postId);
  if (!post) return { ok: false, error: "notFound" };
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    await tx.forumPost.update({ where: { id: postId }, data: { hiddenAt: hidden ? now : null } });
    await recordAudit(tx, {
      actorId: actor.id, action: hidden ? "forum.post_hidden" : "forum.post_restored", targetMemberId: post.authorId,
      subject: { type: "forum_post", id: postId }, at: now,
    });
  });
  return { ok: true };
}

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
