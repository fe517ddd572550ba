/**
 * Flags and the review queue. A member flags a post once, with a reason;
 * when open flags reach FLAGS_TO_HIDE the post is hidden until a moderator
 * reviews it (Discourse's default is 3). Being flagged is a touchpoint of
 * the post's author; every review decision is audited. Hiding and restoring
 * reach the thread's readers live, as a moderator's hide does.
 */
import { z } from "zod";
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { can } from "../policy/can";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { recordAudit } from "../audit/audit.server";
import { newSortableId } from "../ids.server";
import { FLAG_REASONS } from "./forum-schemas";
import { readableThreadWhere, threadInReadableCategory } from "./category-access.server";
import { publishPost } from "./forums.server";

export const FLAGS_TO_HIDE = 3;

const PostRef = z.object({ postId: z.string().min(1).max(64) });

export const flagPost = defineCommand({
  name: "forum.flag_post",
  ref: PostRef,
  load: (services, { postId }, actor) =>
    services.db.forumPost.findFirst({
      where: { id: postId, deletedAt: null, thread: readableThreadWhere(actor) },
      select: { id: true, authorId: true, threadId: true, hiddenAt: true, thread: { select: { title: true } } },
    }),
  policy: (actor, post) => can(actor, "forumPost.flag", post) || fail.because("ownPost"),
  input: z.object({
    reason: z.enum(FLAG_REASONS, { errorMap: () => ({ message: "validation.required" }) }),
    note: z.preprocess((value) => (typeof value === "string" ? value.trim().slice(0, 500) || undefined : value), z.string().optional()),
  }),
  async run(steps, { postId, reason, note }, post) {
    const { tx, now, actor, touchpoint } = steps;
    const created = await tx.forumFlag.createMany({
      data: [{ id: newSortableId(now), postId, reporterId: actor.id, reason, note: note ?? null, createdAt: now }],
      skipDuplicates: true,
    });
    if (created.count === 0) return fail.because("alreadyFlagged");
    await touchpoint({ memberId: post.authorId, kind: "forum.flagged", actorId: null, subject: { type: "forum_thread", id: post.threadId }, data: { title: post.thread.title, reason } });
    const open = await tx.forumFlag.count({ where: { postId, resolvedAt: null } });
    const hide = !post.hiddenAt && open >= FLAGS_TO_HIDE;
    if (hide) {
      await tx.forumPost.update({ where: { id: postId }, data: { hiddenAt: now } });
      // Hidden by the flags, not by the reporter: the audit names no actor.
      await recordAudit(tx, { actorId: null, action: "forum.post_hidden", targetMemberId: post.authorId, subject: { type: "forum_post", id: postId }, data: { by: "flags", flags: open }, at: now });
      await publishPost(steps, "forum:post_hidden", post.threadId, postId);
    }
    return { ok: true, hidden: hide };
  },
});

/** Posts with open flags in threads the reviewer may read, most flagged first. */
export async function reviewQueue(services: Services, actor: Actor) {
  if (!can(actor, "forumFlags.review")) return null;
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
export const resolveFlags = defineCommand({
  name: "forum.resolve_flags",
  who: (actor) => can(actor, "forumFlags.review"),
  ref: PostRef,
  // A moderator does not review staff-only threads: staff do.
  load: (services, { postId }, actor) =>
    services.db.forumPost.findFirst({ where: { id: postId, thread: threadInReadableCategory(actor) }, select: { authorId: true, threadId: true, hiddenAt: true, deletedAt: true } }),
  input: z.object({ decision: z.enum(["keep", "hide"], { errorMap: () => ({ message: "validation.required" }) }) }),
  async run(steps, { postId, decision }, post) {
    const { tx, now, actor, audit } = steps;
    await tx.forumFlag.updateMany({ where: { postId, resolvedAt: null }, data: { resolvedAt: now, resolution: decision, resolvedById: actor.id } });
    const hiddenAt = decision === "hide" ? now : null;
    await tx.forumPost.update({ where: { id: postId }, data: { hiddenAt } });
    await audit({ action: decision === "hide" ? "forum.flags_upheld" : "forum.flags_dismissed", targetMemberId: post.authorId, subject: { type: "forum_post", id: postId } });
    // Readers hear of a change they would see: a post that was shown and is now hidden, or the reverse.
    if (!post.deletedAt && !post.hiddenAt !== !hiddenAt) await publishPost(steps, hiddenAt ? "forum:post_hidden" : "forum:post_restored", post.threadId, postId);
    return { ok: true };
  },
});
