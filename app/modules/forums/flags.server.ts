/**
 * Flags and the review queue. A member flags a post once, with a reason;
 * when open flags reach FLAGS_TO_HIDE the post is hidden until a moderator
 * reviews it (Discourse's default is 3). Being flagged is a touchpoint of
 * the post's author; every review decision is audited.
 */
import type { Services } from "../services.server";
import type { Actor } from "../members/access.server";
import { hasPermission } from "../policy/permissions";
import { recordTouchpoint } from "../timeline/touchpoints.server";
import { recordAudit } from "../audit/audit.server";
import { newSortableId } from "../ids.server";
import { FLAG_REASONS } from "./forum-schemas";
import { readableThreadWhere, threadInReadableCategory } from "./category-access.server";

export const FLAGS_TO_HIDE = 3;

export async function flagPost(
  services: Services,
  actor: Actor,
  postId: string,
  input: { reason: string; note?: string },
): Promise<{ ok: true; hidden: boolean } | { ok: false; error: "invalid" | "notFound" | "ownPost" | "alreadyFlagged" }> {
  if (!(FLAG_REASONS as readonly string[]).includes(input.reason)) return { ok: false, error: "invalid" };
  const note = input.note?.trim().slice(0, 500) || null;
  const post = await services.db.forumPost.findFirst({
    where: { id: postId, deletedAt: null, thread: readableThreadWhere(actor) },
    select: { id: true, authorId: true, threadId: true, hiddenAt: true, thread: { select: { title: true } } },
  });
  if (!post) return { ok: false, error: "notFound" };
  if (post.authorId === actor.id) return { ok: false, error: "ownPost" };
  const now = services.clock.now();
  return services.db.$transaction(async (tx) => {
    const created = await tx.forumFlag.createMany({
      data: [{ id: newSortableId(now), postId, reporterId: actor.id, reason: input.reason, note, createdAt: now }],
      skipDuplicates: true,
    });
    if (created.count === 0) return { ok: false, error: "alreadyFlagged" } as const;
    await recordTouchpoint(tx, {
      memberId: post.authorId, kind: "forum.flagged", actorId: null,
      subject: { type: "forum_thread", id: post.threadId }, data: { title: post.thread.title, reason: input.reason }, at: now,
    });
    const open = await tx.forumFlag.count({ where: { postId, resolvedAt: null } });
    const hide = !post.hiddenAt && open >= FLAGS_TO_HIDE;
    if (hide) {
      await tx.forumPost.update({ where: { id: postId }, data: { hiddenAt: now } });
      await recordAudit(tx, { actorId: null, action: "forum.post_hidden", targetMemberId: post.authorId, subject: { type: "forum_post", id: postId }, data: { by: "flags", flags: open }, at: now });
    }
    return { ok: true, hidden: hide } as const;
  });
}

/** Posts with open flags in threads the reviewer may read, most flagged first. */
export async function reviewQueue(services: Services, actor: Actor) {
  if (!hasPermission(actor, "moderation:review:any")) return null;
  const flags = await services.db.forumFlag.findMany({
    where: { resolvedAt: null },
    orderBy: { createdAt: "asc" },
    take: 500,
    select: { id: true, reason: true, note: true, createdAt: true, postId: true },
  });
  const postIds = [...new Set(flags.map((f) => f.postId))];
  const posts = await services.db.forumPost.findMany({
    // A moderator does not review staff-only threads: staff do.
    where: { id: { in: postIds }, thread: threadInReadableCategory(actor) },
    select: {
      id: true, position: true, bodyHtml: true, hiddenAt: true, createdAt: true,
      author: { select: { id: true, displayName: true } },
      thread: { select: { id: true, title: true } },
    },
  });
  return posts
    .map((post) => ({ post, flags: flags.filter((f) => f.postId === post.id) }))
    .sort((a, b) => b.flags.length - a.flags.length);
}

/** keep: the flags were wrong (restore if hidden). hide: the flags were right. */
export async function resolveFlags(
  services: Services,
  actor: Actor,
  postId: string,
  decision: string,
): Promise<{ ok: true } | { ok: false; error: "notAllowed" | "invalid" | "notFound" }> {
  if (!hasPermission(actor, "moderation:review:any")) return { ok: false, error: "notAllowed" };
  if (decision !== "keep" && decision !== "hide") return { ok: false, error: "invalid" };
  const post = await services.db.forumPost.findFirst({ where: { id: postId, thread: threadInReadableCategory(actor) }, select: { authorId: true } });
  if (!post) return { ok: false, error: "notFound" };
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    await tx.forumFlag.updateMany({ where: { postId, resolvedAt: null }, data: { resolvedAt: now, resolution: decision, resolvedById: actor.id } });
    await tx.forumPost.update({ where: { id: postId }, data: { hiddenAt: decision === "hide" ? now : null } });
    await recordAudit(tx, {
      actorId: actor.id, action: decision === "hide" ? "forum.flags_upheld" : "forum.flags_dismissed",
      targetMemberId: post.authorId, subject: { type: "forum_post", id: postId }, at: now,
    });
  });
  return { ok: true };
}
