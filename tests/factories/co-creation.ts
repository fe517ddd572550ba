/** Products, reviews and ideas for tests and the demo seed, written as the modules store them. */
import type { Db } from "../../app/modules/services.server.ts";
import { newSortableId } from "../../app/modules/ids.server.ts";
import { createUser } from "./users.ts";
import { renderMarkdown } from "../../app/modules/markdown/render.server.ts";
import { recordTouchpoint, recordTouchpoints } from "../../app/modules/timeline/touchpoints.server.ts";
import { searchableText } from "../../app/modules/ideas/idea-schemas.ts";
import { refreshRating } from "../../app/modules/products/review-commands.server.ts";

let counter = 0;

export async function createProduct(
  db: Db,
  input: Partial<{ slug: string; nameVi: string; nameEn: string; descriptionVi: string; descriptionEn: string; categoryId: string | null; status: "active" | "retired"; imageKey: string | null; at: Date }> = {},
) {
  counter += 1;
  const slug = input.slug ?? `product-${newSortableId().slice(-8)}`;
  return db.product.create({
    data: {
      id: newSortableId(input.at),
      slug,
      nameVi: input.nameVi ?? `Sản phẩm ${counter}`,
      nameEn: input.nameEn ?? `Product ${counter}`,
      descriptionVi: input.descriptionVi ?? "",
      descriptionEn: input.descriptionEn ?? "",
      categoryId: input.categoryId ?? null,
      status: input.status ?? "active",
      imageKey: input.imageKey ?? null,
      ...(input.at ? { createdAt: input.at } : {}),
    },
    select: { id: true, slug: true, nameVi: true, nameEn: true },
  });
}

/** A moderator as module functions see them (the actor factories make members, staff and admins). */
export async function createModerator(db: Db) {
  const user = await createUser(db, { passwordHash: "not-a-hash", role: "moderator" });
  return { ...user, actor: { id: user.id, role: user.role } };
}

/**
 * A review as writeReview stores it (rendered body, touchpoint), optionally
 * with helpful votes and a staff response. Call refreshRating afterwards.
 */
export async function createReview(
  db: Db,
  input: {
    productId: string;
    product: { nameVi: string; nameEn: string; slug: string };
    authorId: string;
    rating: number;
    title: string;
    body: string;
    at: Date;
    helpfulBy?: string[];
    response?: { by: string; body: string; at: Date };
  },
) {
  const id = newSortableId(input.at);
  const rendered = renderMarkdown(input.body);
  const response = input.response ? renderMarkdown(input.response.body) : null;
  await db.productReview.create({
    data: {
      id, productId: input.productId, authorId: input.authorId, rating: input.rating, title: input.title,
      bodyMarkdown: input.body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, createdAt: input.at,
      helpfulCount: input.helpfulBy?.length ?? 0,
      ...(input.response && response
        ? { responseMarkdown: input.response.body, responseHtml: response.html, responderId: input.response.by, respondedAt: input.response.at }
        : {}),
    },
  });
  if (input.helpfulBy?.length) {
    await db.reviewHelpfulVote.createMany({ data: input.helpfulBy.map((userId) => ({ reviewId: id, userId, createdAt: input.at })) });
  }
  const names = { product: input.product.nameVi, productEn: input.product.nameEn, link: `/products/${input.product.slug}` };
  await recordTouchpoint(db as never, {
    memberId: input.authorId, kind: "review.written", actorId: input.authorId, subject: { type: "product_review", id }, data: { ...names, rating: input.rating }, at: input.at,
  });
  if (input.response) {
    await recordTouchpoint(db as never, {
      memberId: input.authorId, kind: "review.response_received", actorId: input.response.by, subject: { type: "product_review", id }, data: names, at: input.response.at,
    });
  }
  return id;
}

export function recountRatings(db: Db, productId: string) {
  return refreshRating(db as never, productId);
}

type IdeaStatusName = "open" | "under_review" | "planned" | "in_progress" | "done" | "declined" | "duplicate";

/**
 * An idea as the modules leave it: the author's vote, other votes, comments,
 * the status history with public comments, follows and touchpoints (each
 * follower saw each status change).
 */
export async function createIdea(
  db: Db,
  input: {
    authorId: string;
    title: string;
    body: string;
    at: Date;
    productId?: string | null;
    voters?: { userId: string; at: Date }[];
    comments?: { authorId: string; body: string; at: Date }[];
    history?: { to: IdeaStatusName; by: string; at: Date; comment?: string }[];
    mergedIntoId?: string;
  },
) {
  const id = newSortableId(input.at);
  const rendered = renderMarkdown(input.body);
  const voters = [{ userId: input.authorId, at: input.at }, ...(input.voters ?? []).filter((v) => v.userId !== input.authorId)];
  const comments = input.comments ?? [];
  const history = input.history ?? [];
  const last = history.at(-1);
  const lastNote = last?.comment ? renderMarkdown(last.comment).html : null;
  await db.idea.create({
    data: {
      id, authorId: input.authorId, productId: input.productId ?? null, title: input.title, titleSearch: searchableText(input.title),
      bodyMarkdown: input.body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, createdAt: input.at,
      status: last?.to ?? "open", statusChangedAt: last?.at ?? null, statusNoteHtml: lastNote,
      voteCount: input.mergedIntoId ? 0 : voters.length, commentCount: comments.length,
      mergedIntoId: input.mergedIntoId ?? null,
    },
  });
  const link = `/ideas/${id}`;
  const followers = new Map<string, "author" | "voter" | "commenter">([[input.authorId, "author"]]);
  if (!input.mergedIntoId) await db.ideaVote.createMany({ data: voters.map((v) => ({ ideaId: id, userId: v.userId, createdAt: v.at })) });
  for (const v of voters) if (!followers.has(v.userId)) followers.set(v.userId, "voter");
  for (const c of comments) {
    const body = renderMarkdown(c.body);
    await db.ideaComment.create({ data: { id: newSortableId(c.at), ideaId: id, authorId: c.authorId, bodyMarkdown: c.body, bodyHtml: body.html, rendererVersion: body.rendererVersion, createdAt: c.at } });
    if (!followers.has(c.authorId)) followers.set(c.authorId, "commenter");
  }
  await db.ideaFollow.createMany({ data: [...followers.keys()].map((userId) => ({ ideaId: id, userId, createdAt: input.at })) });
  await recordTouchpoint(db as never, { memberId: input.authorId, kind: "idea.submitted", actorId: input.authorId, subject: { type: "idea", id }, data: { title: input.title, link }, at: input.at });
  for (const v of voters.slice(1)) {
    await recordTouchpoint(db as never, { memberId: v.userId, kind: "idea.voted", actorId: v.userId, subject: { type: "idea", id }, data: { title: input.title, link }, at: v.at });
  }
  let from: IdeaStatusName = "open";
  for (const change of history) {
    const note = change.comment ? renderMarkdown(change.comment).html : null;
    await db.ideaStatusChange.create({
      data: { id: newSortableId(change.at), ideaId: id, fromStatus: from, toStatus: change.to, commentMarkdown: change.comment ?? null, commentHtml: note, changedById: change.by, changedAt: change.at },
    });
    await recordTouchpoints(
      db as never,
      [...followers].map(([memberId, role]) => ({
        memberId, kind: "idea.status_change_seen" as const, actorId: change.by, subject: { type: "idea", id }, data: { title: input.title, status: change.to, role, link }, at: change.at,
      })),
    );
    from = change.to;
  }
  return id;
}
