/**
 * What members, staff and moderators do to reviews, each a command
 * (docs/decisions/017): write, edit, delete, mark helpful, report, respond,
 * hide or restore, dismiss reports. Every write that changes what counts
 * locks the product row, changes the reviews and rewrites the product's rating
 * aggregates in one transaction, so the average, count and histogram never
 * drift from the reviews (docs/decisions/008). A 1–2 star review asks the
 * reviewer's account manager to follow up.
 */
import { z } from "zod";
import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";
import { defineCommand, type Steps } from "../commands/command.server";
import { fail } from "../commands/failure";
import { can } from "../policy/can";
import { requestNotification } from "../notifications/notifications.server";
import { renderMarkdown } from "../markdown/render.server";
import { newSortableId } from "../ids.server";
import { REPORT_REASONS, ResponseSchema, ReviewSchema } from "./product-schemas";

export const REVIEW_LIMITS = {
  /** New reviews and edits per member. */
  write: { max: 10, windowMs: 60 * 60_000 },
  /** Helpful votes and reports per member. */
  react: { max: 60, windowMs: 10 * 60_000 },
};
/** Ratings at or below this ask the account manager to follow up. */
export const FOLLOW_UP_AT_OR_BELOW = 2;

const limit = (kind: keyof typeof REVIEW_LIMITS) => (actor: { id: string }) => ({ key: `review:${kind}:${actor.id}`, limit: REVIEW_LIMITS[kind] });

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

type ProductNames = { nameVi: string; nameEn: string; slug: string };
const productNames = (p: ProductNames) => ({ product: p.nameVi, productEn: p.nameEn, link: `/products/${p.slug}` });
const reviewSubject = (id: string) => ({ type: "product_review", id });

/** The member's own chat, made in this transaction if it is not there yet (as chat makes it), so the follow-up links to it. */
async function ownConversation(tx: Tx, memberId: string, now: Date) {
  await tx.conversation.createMany({ data: [{ id: newSortableId(now), memberId }], skipDuplicates: true });
  return (await tx.conversation.findUniqueOrThrow({ where: { memberId }, select: { id: true } })).id;
}

/**
 * The follow-up for a low rating: a staff-only "needs attention" touchpoint on
 * the reviewer, linking to their chat, and a notice to their account manager.
 */
async function askForFollowUp({ tx, now, actor, touchpoint }: Steps, review: { reviewId: string; rating: number; product: ProductNames }) {
  const member = await tx.user.findUnique({ where: { id: actor.id }, select: { accountManagerId: true, displayName: true } });
  if (!member) return;
  const link = member.accountManagerId ? `/staff/inbox/${await ownConversation(tx, actor.id, now)}` : `/staff/members/${actor.id}`;
  const { product } = review;
  await touchpoint({
    memberId: actor.id, kind: "review.needs_attention", actorId: null, subject: reviewSubject(review.reviewId),
    data: { product: product.nameVi, productEn: product.nameEn, rating: review.rating, link },
  });
  if (member.accountManagerId) {
    await requestNotification(tx, {
      userId: member.accountManagerId, kind: "review.low_rating",
      data: { name: member.displayName, product: product.nameVi, productEn: product.nameEn, rating: review.rating }, link,
    });
  }
}

const ProductRef = z.object({ productId: z.string().min(1).max(64) });
const ReviewRef = z.object({ reviewId: z.string().min(1).max(64) });

const REVIEW = { id: true, authorId: true, rating: true, bodyMarkdown: true, title: true, productId: true, hiddenAt: true, respondedAt: true, product: { select: { nameVi: true, nameEn: true, slug: true } } } as const;
const findReview = (db: Db, reviewId: string) => db.productReview.findUnique({ where: { id: reviewId }, select: REVIEW });

export const writeReview = defineCommand({
  name: "review.write",
  who: (actor) => can(actor, "review.write"),
  ref: ProductRef,
  input: ReviewSchema,
  async load(services, { productId }, actor) {
    const product = await services.db.product.findUnique({ where: { id: productId }, select: { id: true, status: true, nameVi: true, nameEn: true, slug: true } });
    if (!product) return null;
    const existing = await services.db.productReview.findUnique({ where: { productId_authorId: { productId, authorId: actor.id } }, select: { id: true } });
    return { ...product, reviewed: !!existing };
  },
  policy: (_actor, product) => (product.status === "retired" ? fail.because("retired") : product.reviewed ? fail.because("alreadyReviewed") : true),
  limit: limit("write"),
  async run(steps, { productId, rating, title, body }, product) {
    const { tx, now, actor, touchpoint } = steps;
    const rendered = renderMarkdown(body);
    const reviewId = newSortableId(now);
    await lockProduct(tx, productId);
    // The unique (productId, authorId) index settles a double submit: the second adds nothing.
    const inserted = await tx.productReview.createMany({
      data: [{ id: reviewId, productId, authorId: actor.id, rating, title, bodyMarkdown: body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, createdAt: now }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return fail.because("alreadyReviewed");
    await refreshRating(tx, productId);
    await touchpoint({ memberId: actor.id, kind: "review.written", actorId: actor.id, subject: reviewSubject(reviewId), data: { ...productNames(product), rating } });
    if (rating <= FOLLOW_UP_AT_OR_BELOW) await askForFollowUp(steps, { reviewId, rating, product });
    return { ok: true, reviewId };
  },
});

/** The author edits: marked edited, aggregates rewritten; a drop to 1–2 stars asks for a follow-up. */
export const editReview = defineCommand({
  name: "review.edit",
  ref: ReviewRef,
  input: ReviewSchema,
  load: (services, { reviewId }) => findReview(services.db, reviewId),
  policy: (actor, review) => can(actor, "review.edit", review),
  limit: limit("write"),
  async run(steps, { reviewId, rating, title, body }, review) {
    if (review.rating === rating && review.title === title && review.bodyMarkdown === body) return { ok: true };
    const { tx, now, actor, touchpoint } = steps;
    const rendered = renderMarkdown(body);
    await lockProduct(tx, review.productId);
    await tx.productReview.update({
      where: { id: reviewId },
      data: { rating, title, bodyMarkdown: body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, editedAt: now },
    });
    await refreshRating(tx, review.productId);
    await touchpoint({ memberId: actor.id, kind: "review.edited", actorId: actor.id, subject: reviewSubject(reviewId), data: { ...productNames(review.product), rating } });
    if (rating <= FOLLOW_UP_AT_OR_BELOW && review.rating > FOLLOW_UP_AT_OR_BELOW) await askForFollowUp(steps, { reviewId, rating, product: review.product });
    return { ok: true };
  },
});

/** The author deletes their review (and may write a new one later). */
export const deleteReview = defineCommand({
  name: "review.delete",
  ref: ReviewRef,
  load: (services, { reviewId }) => findReview(services.db, reviewId),
  policy: (actor, review) => can(actor, "review.delete", review),
  async run({ tx, actor, touchpoint }, { reviewId }, review) {
    await lockProduct(tx, review.productId);
    await tx.productReview.delete({ where: { id: reviewId } });
    await refreshRating(tx, review.productId);
    await touchpoint({ memberId: actor.id, kind: "review.deleted", actorId: actor.id, subject: reviewSubject(reviewId), data: { ...productNames(review.product), rating: review.rating } });
    return { ok: true };
  },
});

/** "Helpful": adds the vote, or takes it back. One per member; never on your own review nor on a hidden one. */
export const toggleHelpful = defineCommand({
  name: "review.helpful",
  ref: ReviewRef,
  load: async (services, { reviewId }) => {
    const review = await findReview(services.db, reviewId);
    return review && !review.hiddenAt ? review : null;
  },
  policy: (actor, review) => can(actor, "review.markHelpful", review) || fail.because("ownReview"),
  limit: limit("react"),
  async run({ tx, now, actor, touchpoint }, { reviewId }, review) {
    const removed = await tx.reviewHelpfulVote.deleteMany({ where: { reviewId, userId: actor.id } });
    if (removed.count) {
      await tx.productReview.update({ where: { id: reviewId }, data: { helpfulCount: { decrement: removed.count } } });
      return { ok: true, helpful: false };
    }
    const added = await tx.reviewHelpfulVote.createMany({ data: [{ reviewId, userId: actor.id, createdAt: now }], skipDuplicates: true });
    if (added.count === 0) return { ok: true, helpful: true };
    await tx.productReview.update({ where: { id: reviewId }, data: { helpfulCount: { increment: 1 } } });
    await touchpoint({ memberId: actor.id, kind: "review.marked_helpful", actorId: actor.id, subject: reviewSubject(reviewId), data: productNames(review.product) });
    return { ok: true, helpful: true };
  },
});

/** The one official response, written or corrected by staff; the reviewer is told the first time. */
export const respondToReview = defineCommand({
  name: "review.respond",
  who: (actor) => can(actor, "review.respond"),
  ref: ReviewRef,
  input: ResponseSchema,
  load: (services, { reviewId }) => findReview(services.db, reviewId),
  async run({ tx, now, actor, touchpoint, audit }, { reviewId, body }, review) {
    const rendered = renderMarkdown(body);
    const first = !review.respondedAt;
    await tx.productReview.update({
      where: { id: reviewId },
      data: { responseMarkdown: body, responseHtml: rendered.html, responderId: actor.id, ...(first ? { respondedAt: now } : { responseEditedAt: now }) },
    });
    await audit({ action: "review.response_saved", targetMemberId: review.authorId, subject: reviewSubject(reviewId), data: { first } });
    if (first) {
      await touchpoint({ memberId: review.authorId, kind: "review.response_received", actorId: actor.id, subject: reviewSubject(reviewId), data: productNames(review.product) });
      await requestNotification(tx, {
        userId: review.authorId, kind: "review.response",
        data: { product: review.product.nameVi, productEn: review.product.nameEn }, link: `/products/${review.product.slug}#review-${reviewId}`,
      });
    }
    return { ok: true };
  },
});

const ReportSchema = z.object({
  reason: z.enum(REPORT_REASONS, { errorMap: () => ({ message: "review.reportReasonRequired" }) }),
  note: z
    .string()
    .optional()
    .transform((note) => note?.trim().slice(0, 500) || null),
});

/** A member reports someone else's review once; moderators see it in their queue. */
export const reportReview = defineCommand({
  name: "review.report",
  ref: ReviewRef,
  input: ReportSchema,
  load: (services, { reviewId }) => findReview(services.db, reviewId),
  policy: (actor, review) => can(actor, "review.report", review) || fail.because("ownReview"),
  limit: limit("react"),
  async run({ tx, now, actor }, { reviewId, reason, note }) {
    const created = await tx.reviewReport.createMany({ data: [{ id: newSortableId(now), reviewId, reporterId: actor.id, reason, note, createdAt: now }], skipDuplicates: true });
    return created.count ? { ok: true } : fail.because("alreadyReported");
  },
});

/** Moderators hide or restore a review; open reports are settled with the decision; audited. */
export const setReviewHidden = defineCommand({
  name: "review.hide",
  who: (actor) => can(actor, "review.moderate"),
  ref: ReviewRef,
  input: z.object({ hidden: z.boolean() }),
  load: (services, { reviewId }) => findReview(services.db, reviewId),
  async run({ tx, now, actor, audit }, { reviewId, hidden }, review) {
    await lockProduct(tx, review.productId);
    await tx.productReview.update({ where: { id: reviewId }, data: { hiddenAt: hidden ? now : null } });
    await tx.reviewReport.updateMany({ where: { reviewId, resolvedAt: null }, data: { resolvedAt: now, resolution: hidden ? "hidden" : "kept", resolvedById: actor.id } });
    await refreshRating(tx, review.productId);
    await audit({ action: hidden ? "review.hidden" : "review.restored", targetMemberId: review.authorId, subject: reviewSubject(reviewId) });
    return { ok: true };
  },
});

/** The reports were wrong: close them and leave the review as it is. */
export const dismissReviewReports = defineCommand({
  name: "review.dismiss_reports",
  who: (actor) => can(actor, "review.moderate"),
  ref: ReviewRef,
  load: (services, { reviewId }) => findReview(services.db, reviewId),
  async run({ tx, now, actor, audit }, { reviewId }, review) {
    await tx.reviewReport.updateMany({ where: { reviewId, resolvedAt: null }, data: { resolvedAt: now, resolution: "dismissed", resolvedById: actor.id } });
    await audit({ action: "review.reports_dismissed", targetMemberId: review.authorId, subject: reviewSubject(reviewId) });
    return { ok: true };
  },
});
