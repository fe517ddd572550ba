/**
 * Product reviews: one per member and product, 1–5 stars, a title and a
 * markdown body. Every write locks the product row, changes the reviews and
 * rewrites the product's rating aggregates in one transaction, so the average,
 * count and histogram never drift from the reviews (docs/decisions/008).
 * A 1–2 star review asks the reviewer's account manager to follow up.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Db, Services } from "../services.server";
import type { Tx } from "../db-types.server";
import type { Actor } from "../members/access.server";
import { hasPermission } from "../policy/permissions";
import { recordTouchpoint } from "../timeline/touchpoints.server";
import { recordAudit } from "../audit/audit.server";
import { requestNotification } from "../notifications/notifications.server";
import { hitRateLimit } from "../rate-limit/rate-limit.server";
import { renderMarkdown } from "../markdown/render.server";
import { newSortableId } from "../ids.server";
import { uploadUrl } from "../storage/images.server";
import { ensureOwnConversation } from "../chat/chat.server";
import { REPORT_REASONS, ResponseSchema, ReviewSchema, type ReviewSort } from "./product-schemas";
import { verifiedOwners } from "./ownership.server";

export const REVIEW_LIMITS = {
  /** New reviews and edits per member. */
  write: { max: 10, windowMs: 60 * 60_000 },
  /** Helpful votes and reports per member. */
  react: { max: 60, windowMs: 10 * 60_000 },
};
/** Ratings at or below this ask the account manager to follow up. */
export const FOLLOW_UP_AT_OR_BELOW = 2;
export const REVIEWS_PER_PAGE = 20;

export type ReviewFailure =
  | { ok: false; error: "invalid"; fieldErrors: Record<string, string[]> }
  | { ok: false; error: "rateLimited"; retryAfterSeconds: number }
  | { ok: false; error: "notFound" | "notAllowed" | "alreadyReviewed" | "ownReview" | "retired" | "alreadyReported" };

const invalid = (error: { flatten(): { fieldErrors: Record<string, string[] | undefined> } }): ReviewFailure => ({
  ok: false, error: "invalid", fieldErrors: error.flatten().fieldErrors as Record<string, string[]>,
});

/** Serializes every review write of one product: the aggregates are recomputed under this lock. */
async function lockProduct(tx: Tx, productId: string) {
  await tx.$queryRaw`SELECT "id" FROM "Product" WHERE "id" = ${productId} FOR UPDATE`;
}

/** One grouped query over visible reviews; the product row holds the result. */
export async function refreshRating(tx: Tx, productId: string) {
  const groups = await tx.productReview.groupBy({ by: ["rating"], where: { productId, hiddenAt: null }, _count: { _all: true } });
  const stars = [0, 0, 0, 0, 0, 0];
  for (const g of groups) stars[g.rating] = g._count._all;
  const count = stars.reduce((a, b) => a + b, 0);
  const sum = stars.reduce((a, n, rating) => a + n * rating, 0);
  await tx.product.update({
    where: { id: productId },
    data: { reviewCount: count, ratingSum: sum, stars1: stars[1], stars2: stars[2], stars3: stars[3], stars4: stars[4], stars5: stars[5] },
  });
}

async function limited(services: Services, key: string, limit: { max: number; windowMs: number }) {
  const hit = await hitRateLimit(services.db, key, limit, services.clock.now());
  return hit.allowed ? null : ({ ok: false, error: "rateLimited", retryAfterSeconds: hit.retryAfterSeconds } as const);
}

const productNames = (p: { nameVi: string; nameEn: string; slug: string }) => ({ product: p.nameVi, productEn: p.nameEn, link: `/products/${p.slug}` });

/**
 * The follow-up for a low rating: a staff-only "needs attention" touchpoint on
 * the reviewer, linking to their chat, and a notice to their account manager.
 * The conversation is made first (outside the transaction; it is idempotent).
 */
async function prepareFollowUp(services: Services, memberId: string) {
  const member = await services.db.user.findUnique({ where: { id: memberId }, select: { accountManagerId: true, displayName: true } });
  if (!member) return null;
  const conversationId = member.accountManagerId ? await ensureOwnConversation(services.db, memberId) : null;
  return { managerId: member.accountManagerId, name: member.displayName, link: conversationId ? `/staff/inbox/${conversationId}` : `/staff/members/${memberId}` };
}

async function recordFollowUp(
  tx: Tx,
  followUp: NonNullable<Awaited<ReturnType<typeof prepareFollowUp>>>,
  input: { memberId: string; reviewId: string; rating: number; product: { nameVi: string; nameEn: string }; at: Date },
) {
  await recordTouchpoint(tx, {
    memberId: input.memberId, kind: "review.needs_attention", actorId: null, subject: { type: "product_review", id: input.reviewId },
    data: { product: input.product.nameVi, productEn: input.product.nameEn, rating: input.rating, link: followUp.link }, at: input.at,
  });
  if (followUp.managerId) {
    await requestNotification(tx, {
      userId: followUp.managerId, kind: "review.low_rating",
      data: { name: followUp.name, product: input.product.nameVi, productEn: input.product.nameEn, rating: input.rating }, link: followUp.link,
    });
  }
}

export async function writeReview(
  services: Services,
  actor: Actor,
  productId: string,
  input: Record<string, unknown>,
): Promise<{ ok: true; reviewId: string } | ReviewFailure> {
  if (!hasPermission(actor, "review:write:any")) return { ok: false, error: "notAllowed" };
  const parsed = ReviewSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const product = await services.db.product.findUnique({ where: { id: productId }, select: { id: true, status: true, nameVi: true, nameEn: true, slug: true } });
  if (!product) return { ok: false, error: "notFound" };
  if (product.status === "retired") return { ok: false, error: "retired" };
  const existing = await services.db.productReview.findUnique({ where: { productId_authorId: { productId, authorId: actor.id } }, select: { id: true } });
  if (existing) return { ok: false, error: "alreadyReviewed" };
  const refused = await limited(services, `review:write:${actor.id}`, REVIEW_LIMITS.write);
  if (refused) return refused;
  const { rating, title, body } = parsed.data;
  const followUp = rating <= FOLLOW_UP_AT_OR_BELOW ? await prepareFollowUp(services, actor.id) : null;
  const rendered = renderMarkdown(body);
  const now = services.clock.now();
  const reviewId = newSortableId(now);
  const created = await services.db.$transaction(async (tx) => {
    await lockProduct(tx, productId);
    // The unique (productId, authorId) index settles a double submit: the second adds nothing.
    const inserted = await tx.productReview.createMany({
      data: [{ id: reviewId, productId, authorId: actor.id, rating, title, bodyMarkdown: body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, createdAt: now }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return false;
    await refreshRating(tx, productId);
    await recordTouchpoint(tx, {
      memberId: actor.id, kind: "review.written", actorId: actor.id, subject: { type: "product_review", id: reviewId },
      data: { ...productNames(product), rating }, at: now,
    });
    if (followUp) await recordFollowUp(tx, followUp, { memberId: actor.id, reviewId, rating, product, at: now });
    return true;
  });
  if (!created) return { ok: false, error: "alreadyReviewed" };
  services.outbox.kick();
  return { ok: true, reviewId };
}

async function ownReview(services: Services, actor: Actor, reviewId: string) {
  const review = await services.db.productReview.findUnique({
    where: { id: reviewId },
    select: { id: true, authorId: true, rating: true, bodyMarkdown: true, title: true, productId: true, product: { select: { nameVi: true, nameEn: true, slug: true } } },
  });
  if (!review) return { ok: false, error: "notFound" } as const;
  if (review.authorId !== actor.id) return { ok: false, error: "notAllowed" } as const;
  return { ok: true, review } as const;
}

/** The author edits: marked edited, aggregates rewritten; a drop to 1–2 stars asks for a follow-up. */
export async function editReview(
  services: Services,
  actor: Actor,
  reviewId: string,
  input: Record<string, unknown>,
): Promise<{ ok: true } | ReviewFailure> {
  const found = await ownReview(services, actor, reviewId);
  if (!found.ok) return found;
  const parsed = ReviewSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { review } = found;
  const { rating, title, body } = parsed.data;
  if (review.rating === rating && review.title === title && review.bodyMarkdown === body) return { ok: true };
  const refused = await limited(services, `review:write:${actor.id}`, REVIEW_LIMITS.write);
  if (refused) return refused;
  const followUp = rating <= FOLLOW_UP_AT_OR_BELOW && review.rating > FOLLOW_UP_AT_OR_BELOW ? await prepareFollowUp(services, actor.id) : null;
  const rendered = renderMarkdown(body);
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    await lockProduct(tx, review.productId);
    await tx.productReview.update({
      where: { id: reviewId },
      data: { rating, title, bodyMarkdown: body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, editedAt: now },
    });
    await refreshRating(tx, review.productId);
    await recordTouchpoint(tx, {
      memberId: actor.id, kind: "review.edited", actorId: actor.id, subject: { type: "product_review", id: reviewId },
      data: { ...productNames(review.product), rating }, at: now,
    });
    if (followUp) await recordFollowUp(tx, followUp, { memberId: actor.id, reviewId, rating, product: review.product, at: now });
  });
  services.outbox.kick();
  return { ok: true };
}

/** The author deletes their review (and may write a new one later). */
export async function deleteReview(services: Services, actor: Actor, reviewId: string): Promise<{ ok: true } | ReviewFailure> {
  const found = await ownReview(services, actor, reviewId);
  if (!found.ok) return found;
  const { review } = found;
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    await lockProduct(tx, review.productId);
    await tx.productReview.delete({ where: { id: reviewId } });
    await refreshRating(tx, review.productId);
    await recordTouchpoint(tx, {
      memberId: actor.id, kind: "review.deleted", actorId: actor.id, subject: { type: "product_review", id: reviewId },
      data: { ...productNames(review.product), rating: review.rating }, at: now,
    });
  });
  return { ok: true };
}

/** "Helpful": adds the vote, or takes it back. One per member; never on your own review. */
export async function toggleHelpful(services: Services, actor: Actor, reviewId: string): Promise<{ ok: true; helpful: boolean } | ReviewFailure> {
  const review = await services.db.productReview.findUnique({
    where: { id: reviewId },
    select: { authorId: true, hiddenAt: true, product: { select: { nameVi: true, nameEn: true, slug: true } } },
  });
  if (!review || review.hiddenAt) return { ok: false, error: "notFound" };
  if (review.authorId === actor.id) return { ok: false, error: "ownReview" };
  const refused = await limited(services, `review:react:${actor.id}`, REVIEW_LIMITS.react);
  if (refused) return refused;
  const now = services.clock.now();
  const helpful = await services.db.$transaction(async (tx) => {
    const removed = await tx.reviewHelpfulVote.deleteMany({ where: { reviewId, userId: actor.id } });
    if (removed.count) {
      await tx.productReview.update({ where: { id: reviewId }, data: { helpfulCount: { decrement: removed.count } } });
      return false;
    }
    const added = await tx.reviewHelpfulVote.createMany({ data: [{ reviewId, userId: actor.id, createdAt: now }], skipDuplicates: true });
    if (added.count === 0) return true;
    await tx.productReview.update({ where: { id: reviewId }, data: { helpfulCount: { increment: 1 } } });
    await recordTouchpoint(tx, {
      memberId: actor.id, kind: "review.marked_helpful", actorId: actor.id, subject: { type: "product_review", id: reviewId },
      data: productNames(review.product), at: now,
    });
    return true;
  });
  return { ok: true, helpful };
}

/** The one official response, written or corrected by staff; the reviewer is told the first time. */
export async function respondToReview(
  services: Services,
  actor: Actor,
  reviewId: string,
  input: Record<string, unknown>,
): Promise<{ ok: true } | ReviewFailure> {
  if (!hasPermission(actor, "review:respond:any")) return { ok: false, error: "notAllowed" };
  const parsed = ResponseSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const review = await services.db.productReview.findUnique({
    where: { id: reviewId },
    select: { authorId: true, respondedAt: true, product: { select: { nameVi: true, nameEn: true, slug: true } } },
  });
  if (!review) return { ok: false, error: "notFound" };
  const rendered = renderMarkdown(parsed.data.body);
  const now = services.clock.now();
  const first = !review.respondedAt;
  await services.db.$transaction(async (tx) => {
    await tx.productReview.update({
      where: { id: reviewId },
      data: {
        responseMarkdown: parsed.data.body, responseHtml: rendered.html, responderId: actor.id,
        ...(first ? { respondedAt: now } : { responseEditedAt: now }),
      },
    });
    await recordAudit(tx, { actorId: actor.id, action: "review.response_saved", targetMemberId: review.authorId, subject: { type: "product_review", id: reviewId }, data: { first }, at: now });
    if (first) {
      await recordTouchpoint(tx, {
        memberId: review.authorId, kind: "review.response_received", actorId: actor.id, subject: { type: "product_review", id: reviewId },
        data: productNames(review.product), at: now,
      });
      await requestNotification(tx, {
        userId: review.authorId, kind: "review.response",
        data: { product: review.product.nameVi, productEn: review.product.nameEn }, link: `/products/${review.product.slug}#review-${reviewId}`,
      });
    }
  });
  services.outbox.kick();
  return { ok: true };
}

export async function reportReview(
  services: Services,
  actor: Actor,
  reviewId: string,
  input: { reason: string; note?: string },
): Promise<{ ok: true } | ReviewFailure> {
  if (!(REPORT_REASONS as readonly string[]).includes(input.reason)) return { ok: false, error: "invalid", fieldErrors: { reason: ["review.reportReasonRequired"] } };
  const review = await services.db.productReview.findUnique({ where: { id: reviewId }, select: { authorId: true } });
  if (!review) return { ok: false, error: "notFound" };
  if (review.authorId === actor.id) return { ok: false, error: "ownReview" };
  const refused = await limited(services, `review:react:${actor.id}`, REVIEW_LIMITS.react);
  if (refused) return refused;
  const now = services.clock.now();
  const created = await services.db.reviewReport.createMany({
    data: [{ id: newSortableId(now), reviewId, reporterId: actor.id, reason: input.reason, note: input.note?.trim().slice(0, 500) || null, createdAt: now }],
    skipDuplicates: true,
  });
  return created.count ? { ok: true } : { ok: false, error: "alreadyReported" };
}

/** Moderators hide or restore a review; open reports are settled with the decision; audited. */
export async function setReviewHidden(services: Services, actor: Actor, reviewId: string, hidden: boolean): Promise<{ ok: true } | ReviewFailure> {
  if (!hasPermission(actor, "review:hide:any")) return { ok: false, error: "notAllowed" };
  const review = await services.db.productReview.findUnique({ where: { id: reviewId }, select: { authorId: true, productId: true } });
  if (!review) return { ok: false, error: "notFound" };
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    await lockProduct(tx, review.productId);
    await tx.productReview.update({ where: { id: reviewId }, data: { hiddenAt: hidden ? now : null } });
    await tx.reviewReport.updateMany({ where: { reviewId, resolvedAt: null }, data: { resolvedAt: now, resolution: hidden ? "hidden" : "kept", resolvedById: actor.id } });
    await refreshRating(tx, review.productId);
    await recordAudit(tx, {
      actorId: actor.id, action: hidden ? "review.hidden" : "review.restored", targetMemberId: review.authorId,
      subject: { type: "product_review", id: reviewId }, at: now,
    });
  });
  return { ok: true };
}

/** The reports were wrong: close them and leave the review as it is. */
export async function dismissReviewReports(services: Services, actor: Actor, reviewId: string): Promise<{ ok: true } | ReviewFailure> {
  if (!hasPermission(actor, "review:hide:any")) return { ok: false, error: "notAllowed" };
  const review = await services.db.productReview.findUnique({ where: { id: reviewId }, select: { authorId: true } });
  if (!review) return { ok: false, error: "notFound" };
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    await tx.reviewReport.updateMany({ where: { reviewId, resolvedAt: null }, data: { resolvedAt: now, resolution: "dismissed", resolvedById: actor.id } });
    await recordAudit(tx, { actorId: actor.id, action: "review.reports_dismissed", targetMemberId: review.authorId, subject: { type: "product_review", id: reviewId }, at: now });
  });
  return { ok: true };
}

/** Reviews with open reports, most reported first: the moderators' queue. */
export async function reportedReviews(db: Db, actor: Actor) {
  if (!hasPermission(actor, "review:hide:any")) return null;
  const open = await db.reviewReport.groupBy({ by: ["reviewId"], where: { resolvedAt: null }, _count: { _all: true }, orderBy: { _count: { reviewId: "desc" } }, take: 100 });
  if (open.length === 0) return [];
  const [reviews, reasons] = await Promise.all([
    db.productReview.findMany({
      where: { id: { in: open.map((o) => o.reviewId) } },
      select: {
        id: true, title: true, rating: true, bodyHtml: true, hiddenAt: true, createdAt: true,
        author: { select: { id: true, displayName: true } },
        product: { select: { slug: true, nameVi: true, nameEn: true } },
      },
    }),
    db.reviewReport.findMany({ where: { resolvedAt: null, reviewId: { in: open.map((o) => o.reviewId) } }, select: { reviewId: true, reason: true, note: true } }),
  ]);
  return open.flatMap((o) => {
    const review = reviews.find((r) => r.id === o.reviewId);
    return review ? [{ review, count: o._count._all, reports: reasons.filter((r) => r.reviewId === o.reviewId) }] : [];
  });
}

const REVIEW_ORDER: Record<ReviewSort, Prisma.ProductReviewOrderByWithRelationInput[]> = {
  helpful: [{ helpfulCount: "desc" }, { createdAt: "desc" }, { id: "desc" }],
  newest: [{ createdAt: "desc" }, { id: "desc" }],
  highest: [{ rating: "desc" }, { createdAt: "desc" }, { id: "desc" }],
  lowest: [{ rating: "asc" }, { createdAt: "desc" }, { id: "desc" }],
};

const AUTHOR = { select: { id: true, displayName: true, username: true, avatarKey: true, deletedAt: true } } as const;

/**
 * A page of a product's reviews: one query for the reviews with their
 * authors and responders, one for which authors own the product, one for the
 * viewer's helpful votes. Hidden reviews show to moderators (marked) and to
 * their own author only.
 */
export async function listReviews(
  db: Db,
  productId: string,
  options: { sort?: ReviewSort; stars?: number | null; page?: number; viewer?: Actor | null } = {},
) {
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const moderator = hasPermission(options.viewer, "review:hide:any");
  const where: Prisma.ProductReviewWhereInput = {
    productId,
    ...(options.stars ? { rating: options.stars } : {}),
    ...(moderator ? {} : { OR: [{ hiddenAt: null }, ...(options.viewer ? [{ authorId: options.viewer.id }] : [])] }),
  };
  const [rows, total] = await Promise.all([
    db.productReview.findMany({
      where,
      orderBy: REVIEW_ORDER[options.sort ?? "helpful"],
      skip: (page - 1) * REVIEWS_PER_PAGE,
      take: REVIEWS_PER_PAGE,
      select: {
        id: true, rating: true, title: true, bodyHtml: true, helpfulCount: true, createdAt: true, editedAt: true, hiddenAt: true,
        responseHtml: true, respondedAt: true, responseEditedAt: true,
        author: AUTHOR,
        responder: { select: { displayName: true } },
      },
    }),
    db.productReview.count({ where }),
  ]);
  const [owners, mine] = await Promise.all([
    verifiedOwners(db, productId, [...new Set(rows.map((r) => r.author.id))]),
    options.viewer && rows.length
      ? db.reviewHelpfulVote.findMany({ where: { userId: options.viewer.id, reviewId: { in: rows.map((r) => r.id) } }, select: { reviewId: true } })
      : Promise.resolve([]),
  ]);
  const voted = new Set(mine.map((v) => v.reviewId));
  return {
    items: rows.map(({ author: { avatarKey, ...author }, ...r }) => ({
      ...r,
      author: { ...author, avatar: uploadUrl(avatarKey) },
      verifiedOwner: owners.has(author.id),
      votedHelpful: voted.has(r.id),
    })),
    page,
    pages: Math.max(1, Math.ceil(total / REVIEWS_PER_PAGE)),
    total,
  };
}

/** The viewer's own review of a product (for the edit form), with its markdown. */
export async function myReview(db: Db, productId: string, userId: string) {
  return db.productReview.findUnique({
    where: { productId_authorId: { productId, authorId: userId } },
    select: { id: true, rating: true, title: true, bodyMarkdown: true },
  });
}

/** The markdown of a review's response, for the staff edit form. */
export async function responseSource(db: Db, reviewIds: string[]) {
  const rows = await db.productReview.findMany({ where: { id: { in: reviewIds }, responseMarkdown: { not: null } }, select: { id: true, responseMarkdown: true } });
  return Object.fromEntries(rows.map((r) => [r.id, r.responseMarkdown ?? ""]));
}
