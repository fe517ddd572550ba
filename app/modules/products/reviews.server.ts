/**
 * Reading product reviews: a product's page of reviews, the viewer's own, the
 * response sources for staff and the moderators' queue. The writes are
 * commands in ./review-commands.server.ts.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "../services.server";
import type { Actor } from "../policy/actor";
import { can } from "../policy/can";
import { uploadUrl } from "../storage/images.server";
import type { ReviewSort } from "./product-schemas";
import { verifiedOwners } from "./ownership.server";

export const REVIEWS_PER_PAGE = 20;

/** Reviews with open reports, most reported first: the moderators' queue. */
export async function reportedReviews(db: Db, actor: Actor) {
  if (!can(actor, "review.moderate")) return null;
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
  const moderator = can(options.viewer, "review.moderate");
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
