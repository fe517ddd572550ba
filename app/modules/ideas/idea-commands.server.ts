/**
 * What members and staff do to ideas, each a command (docs/decisions/017):
 * suggest, edit, remove, vote, follow, and comment. Vote counts are kept on
 * the idea in the vote's transaction (docs/decisions/008).
 */
import { z } from "zod";
import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { can } from "../policy/can";
import { renderMarkdown } from "../markdown/render.server";
import { newSortableId } from "../ids.server";
import { CommentSchema, IdeaSchema, VOTABLE_STATUSES, searchableText } from "./idea-schemas";
import { announceComment } from "./notify.server";

export const IDEA_LIMITS = {
  submit: { max: 5, windowMs: 60 * 60_000 },
  vote: { max: 60, windowMs: 10 * 60_000 },
  comment: { max: 20, windowMs: 10 * 60_000 },
};

const limit = (kind: keyof typeof IDEA_LIMITS) => (actor: { id: string }) => ({ key: `idea:${kind}:${actor.id}`, limit: IDEA_LIMITS[kind] });

/** Authors, voters and commenters follow automatically; an explicit unfollow is kept. */
export async function autoFollow(tx: Tx, ideaId: string, userId: string, at: Date) {
  await tx.ideaFollow.createMany({ data: [{ ideaId, userId, createdAt: at }], skipDuplicates: true });
}

/** A live idea (not deleted); merged duplicates are found, so callers can point to the survivor. */
export async function liveIdea(db: Db | Tx, ideaId: string) {
  return db.idea.findFirst({ where: { id: ideaId, deletedAt: null }, select: { id: true, title: true, status: true, authorId: true, mergedIntoId: true } });
}

async function liveComment(db: Db, commentId: string) {
  return db.ideaComment.findFirst({ where: { id: commentId, deletedAt: null }, select: { id: true, ideaId: true, authorId: true, bodyMarkdown: true } });
}

const IdeaRef = z.object({ ideaId: z.string().min(1).max(64) });
const CommentRef = z.object({ commentId: z.string().min(1).max(64) });
const ideaLink = (ideaId: string) => `/ideas/${ideaId}`;

/** The product must exist (and, for a new idea, be on sale). */
async function unknownProduct(db: Db | Tx, productId: string | null, activeOnly: boolean) {
  if (!productId) return false;
  return !(await db.product.findFirst({ where: { id: productId, ...(activeOnly ? { status: "active" as const } : {}) }, select: { id: true } }));
}

export const submitIdea = defineCommand({
  name: "idea.submit",
  who: (actor) => can(actor, "idea.create"),
  input: IdeaSchema,
  limit: limit("submit"),
  async run({ tx, now, actor, touchpoint }, { title, body, productId }) {
    if (await unknownProduct(tx, productId, true)) return fail.field("productId", "idea.productUnknown");
    // The same title again within a day is a double submit, not a new idea.
    const twin = await tx.idea.findFirst({
      where: { authorId: actor.id, titleSearch: searchableText(title), createdAt: { gte: new Date(now.getTime() - 24 * 60 * 60_000) } },
      select: { id: true },
    });
    if (twin) return fail.because("duplicate");
    const rendered = renderMarkdown(body);
    const ideaId = newSortableId(now);
    await tx.idea.create({
      data: {
        id: ideaId, authorId: actor.id, productId, title, titleSearch: searchableText(title), bodyMarkdown: body,
        bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, createdAt: now, voteCount: 1,
      },
    });
    // As in Canny and Fider, the author's own vote comes with the idea.
    await tx.ideaVote.create({ data: { ideaId, userId: actor.id, createdAt: now } });
    await autoFollow(tx, ideaId, actor.id, now);
    await touchpoint({ memberId: actor.id, kind: "idea.submitted", actorId: actor.id, subject: { type: "idea", id: ideaId }, data: { title, link: ideaLink(ideaId) } });
    return { ok: true, ideaId };
  },
});

/**
 * The author corrects their idea (title, description, product); staff may
 * too, audited. A merged duplicate stays as it was merged.
 */
export const editIdea = defineCommand({
  name: "idea.edit",
  ref: IdeaRef,
  input: IdeaSchema,
  load: (services, { ideaId }) => liveIdea(services.db, ideaId),
  policy: (actor, idea) => can(actor, "idea.edit", idea) && (idea.mergedIntoId ? fail.because("closed") : true),
  async run({ tx, now, actor, audit }, { ideaId, title, body, productId }, idea) {
    if (await unknownProduct(tx, productId, false)) return fail.field("productId", "idea.productUnknown");
    const rendered = renderMarkdown(body);
    await tx.idea.update({
      where: { id: ideaId },
      data: { title, titleSearch: searchableText(title), bodyMarkdown: body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, productId, editedAt: now },
    });
    if (idea.authorId !== actor.id) await audit({ action: "idea.edited", targetMemberId: idea.authorId, subject: { type: "idea", id: ideaId } });
    return { ok: true };
  },
});

/** Moderators remove an idea (spam, abuse): it leaves every list and page; audited. */
export const removeIdea = defineCommand({
  name: "idea.remove",
  who: (actor) => can(actor, "idea.remove"),
  ref: IdeaRef,
  load: (services, { ideaId }) => liveIdea(services.db, ideaId),
  async run({ tx, now, audit }, { ideaId }, idea) {
    await tx.idea.update({ where: { id: ideaId }, data: { deletedAt: now } });
    await audit({ action: "idea.removed", targetMemberId: idea.authorId, subject: { type: "idea", id: ideaId }, data: { title: idea.title } });
    return { ok: true };
  },
});

/** Adds the member's vote, or takes it back. One per member; closed and merged ideas take none. */
export const toggleVote = defineCommand({
  name: "idea.vote",
  ref: IdeaRef,
  load: (services, { ideaId }) => liveIdea(services.db, ideaId),
  who: (actor) => can(actor, "idea.vote"),
  limit: limit("vote"),
  async run({ tx, now, actor, touchpoint }, { ideaId }, idea) {
    const seen = { subject: { type: "idea", id: ideaId }, data: { title: idea.title, link: ideaLink(ideaId) }, memberId: actor.id, actorId: actor.id };
    const removed = await tx.ideaVote.deleteMany({ where: { ideaId, userId: actor.id } });
    if (removed.count) {
      const updated = await tx.idea.update({ where: { id: ideaId }, data: { voteCount: { decrement: removed.count } }, select: { voteCount: true } });
      await touchpoint({ ...seen, kind: "idea.vote_withdrawn" });
      return { ok: true, voted: false, votes: updated.voteCount };
    }
    // Closed ideas keep their votes, but take no new ones (taking a vote back is always allowed).
    if (idea.mergedIntoId || !VOTABLE_STATUSES.includes(idea.status)) return fail.because("closed");
    const added = await tx.ideaVote.createMany({ data: [{ ideaId, userId: actor.id, createdAt: now }], skipDuplicates: true });
    const updated = added.count
      ? await tx.idea.update({ where: { id: ideaId }, data: { voteCount: { increment: 1 } }, select: { voteCount: true } })
      : await tx.idea.findUniqueOrThrow({ where: { id: ideaId }, select: { voteCount: true } });
    if (added.count) {
      await autoFollow(tx, ideaId, actor.id, now);
      await touchpoint({ ...seen, kind: "idea.voted" });
    }
    return { ok: true, voted: true, votes: updated.voteCount };
  },
});

export const setFollowing = defineCommand({
  name: "idea.follow",
  ref: IdeaRef,
  input: z.object({ following: z.boolean() }),
  load: (services, { ideaId }) => liveIdea(services.db, ideaId),
  who: (actor) => can(actor, "idea.follow"),
  async run({ tx, now, actor }, { ideaId, following }) {
    await tx.ideaFollow.upsert({
      where: { ideaId_userId: { ideaId, userId: actor.id } },
      create: { ideaId, userId: actor.id, following, createdAt: now },
      update: { following },
    });
    return { ok: true };
  },
});

export const addComment = defineCommand({
  name: "idea.comment",
  ref: IdeaRef,
  input: CommentSchema,
  load: (services, { ideaId }) => liveIdea(services.db, ideaId),
  who: (actor) => can(actor, "idea.comment"),
  limit: limit("comment"),
  async run({ tx, now, actor, touchpoint }, { ideaId, body }, idea) {
    const rendered = renderMarkdown(body);
    const commentId = newSortableId(now);
    await tx.ideaComment.create({ data: { id: commentId, ideaId, authorId: actor.id, bodyMarkdown: body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, createdAt: now } });
    await tx.idea.update({ where: { id: ideaId }, data: { commentCount: { increment: 1 } } });
    await autoFollow(tx, ideaId, actor.id, now);
    await touchpoint({ memberId: actor.id, kind: "idea.commented", actorId: actor.id, subject: { type: "idea", id: ideaId }, data: { title: idea.title, link: `${ideaLink(ideaId)}#comment-${commentId}` } });
    await announceComment(tx, { ideaId, commentId, authorId: actor.id });
    return { ok: true, commentId };
  },
});

/** Only the author edits a comment. */
export const editComment = defineCommand({
  name: "idea.comment_edit",
  ref: CommentRef,
  input: CommentSchema,
  load: (services, { commentId }) => liveComment(services.db, commentId),
  policy: (actor, comment) => can(actor, "ideaComment.edit", comment),
  async run({ tx, now }, { commentId, body }, comment) {
    if (comment.bodyMarkdown !== body) {
      const rendered = renderMarkdown(body);
      await tx.ideaComment.update({ where: { id: commentId }, data: { bodyMarkdown: body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, editedAt: now } });
    }
    return { ok: true, ideaId: comment.ideaId };
  },
});

/** The author deletes their comment; a moderator may remove anyone's (audited). It keeps its place as a placeholder. */
export const deleteComment = defineCommand({
  name: "idea.comment_delete",
  ref: CommentRef,
  load: (services, { commentId }) => liveComment(services.db, commentId),
  policy: (actor, comment) => can(actor, "ideaComment.delete", comment),
  async run({ tx, now, actor, audit }, { commentId }, comment) {
    await tx.ideaComment.update({ where: { id: commentId }, data: { deletedAt: now } });
    await tx.idea.update({ where: { id: comment.ideaId }, data: { commentCount: { decrement: 1 } } });
    if (comment.authorId !== actor.id) await audit({ action: "idea.comment_removed", targetMemberId: comment.authorId, subject: { type: "idea_comment", id: commentId } });
    return { ok: true, ideaId: comment.ideaId };
  },
});
