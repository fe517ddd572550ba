/** Products, reviews and ideas for tests and the demo seed, written as the modules store them. */
import type { Db } from "../../app/modules/services.server.ts";
import { newSortableId } from "../../app/modules/ids.server.ts";
import { createUser } from "./users.ts";
import { renderMarkdown } from "../../app/modules/markdown/render.server.ts";
import { recordTouchpoint } from "../../app/modules/timeline/touchpoints.server.ts";
import { refreshRating } from "../../app/modules/products/reviews.server.ts";

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
