/**
 * The product catalogue: what members own, review and tie ideas to. Admins
 * manage products (names and descriptions in both languages, slug, image,
 * category, active or retired); every change is audited.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Db, Services } from "../services.server";
import type { Actor } from "../members/access.server";
import { hasPermission } from "../policy/permissions";
import { recordAudit } from "../audit/audit.server";
import { newSortableId } from "../ids.server";
import { newImageKey, reencodeImage, storeImage, uploadUrl, type ImageFailure } from "../storage/images.server";
import { ProductCategorySchema, ProductSchema } from "./product-schemas";

export const PRODUCT_IMAGE_MAX_BYTES = 4 * 1024 * 1024;

type Invalid = { ok: false; error: "invalid"; fieldErrors: Record<string, string[]> };
type NotAllowed = { ok: false; error: "notAllowed" };

const RATING = { reviewCount: true, ratingSum: true, stars1: true, stars2: true, stars3: true, stars4: true, stars5: true } as const;

export const PRODUCT_CARD = {
  id: true, slug: true, nameVi: true, nameEn: true, descriptionVi: true, descriptionEn: true, imageKey: true, status: true,
  category: { select: { id: true, slug: true, nameVi: true, nameEn: true } },
  ...RATING,
} as const satisfies Prisma.ProductSelect;

type RatingColumns = { reviewCount: number; ratingSum: number; stars1: number; stars2: number; stars3: number; stars4: number; stars5: number };

/** Average (one decimal) and the five-bar histogram, 5 stars first, from the maintained columns. */
export function ratingSummary(p: RatingColumns) {
  const histogram = ([5, 4, 3, 2, 1] as const).map((stars) => ({ stars, count: p[`stars${stars}`] }));
  return {
    count: p.reviewCount,
    average: p.reviewCount ? Math.round((p.ratingSum / p.reviewCount) * 10) / 10 : null,
    histogram,
  };
}

function toCard<T extends RatingColumns & { imageKey: string | null }>(row: T) {
  const { reviewCount, ratingSum, stars1, stars2, stars3, stars4, stars5, imageKey, ...rest } = row;
  return { ...rest, image: uploadUrl(imageKey), rating: ratingSummary({ reviewCount, ratingSum, stars1, stars2, stars3, stars4, stars5 }) };
}


/** The catalogue page: one query, aggregates read as columns (no per-product counting). */
export async function listProducts(
  db: Db,
  options: { category?: string | null; q?: string | null; sort?: string | null; includeRetired?: boolean; locale?: "vi" | "en" } = {},
) {
  const q = options.q?.trim().slice(0, 80);
  const nameField = options.locale === "en" ? "nameEn" : "nameVi";
  const orderBy: Prisma.ProductOrderByWithRelationInput[] =
    options.sort === "reviews" ? [{ reviewCount: "desc" }, { [nameField]: "asc" }] : [{ [nameField]: "asc" }];
  const rows = await db.product.findMany({
    where: {
      ...(options.includeRetired ? {} : { status: "active" }),
      ...(options.category ? { category: { slug: options.category } } : {}),
      ...(q
        ? { OR: [{ nameVi: { contains: q, mode: "insensitive" } }, { nameEn: { contains: q, mode: "insensitive" } }] }
        : {}),
    },
    orderBy,
    take: 500,
    select: PRODUCT_CARD,
  });
  const cards = rows.map(toCard);
  // By average: a ratio of two columns, so sorted here (a catalogue is hundreds of rows, not millions).
  if (options.sort === "rating") {
    cards.sort((a, b) => (b.rating.average ?? 0) - (a.rating.average ?? 0) || b.rating.count - a.rating.count);
  }
  return cards;
}

export async function getProductBySlug(db: Db, slug: string) {
  const row = await db.product.findUnique({ where: { slug }, select: { ...PRODUCT_CARD, categoryId: true } });
  return row ? toCard(row) : null;
}

export async function listProductCategories(db: Db) {
  return db.productCategory.findMany({
    orderBy: [{ position: "asc" }, { slug: "asc" }],
    select: { id: true, slug: true, nameVi: true, nameEn: true, position: true },
  });
}

/** Every product, retired included, for the admin list and pickers. */
export async function listAllProducts(db: Db) {
  return db.product.findMany({
    orderBy: [{ status: "asc" }, { nameVi: "asc" }],
    select: { id: true, slug: true, nameVi: true, nameEn: true, status: true, imageKey: true, reviewCount: true, categoryId: true, descriptionVi: true, descriptionEn: true },
  });
}

export async function saveProduct(
  services: Services,
  actor: Actor,
  input: Record<string, unknown>,
): Promise<{ ok: true; id: string; slug: string } | NotAllowed | Invalid> {
  if (!hasPermission(actor, "product:manage:any")) return { ok: false, error: "notAllowed" };
  const parsed = ProductSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid", fieldErrors: parsed.error.flatten().fieldErrors as Record<string, string[]> };
  const { id, ...data } = parsed.data;
  const clash = await services.db.product.findUnique({ where: { slug: data.slug }, select: { id: true } });
  if (clash && clash.id !== id) return { ok: false, error: "invalid", fieldErrors: { slug: ["products.admin.slugTaken"] } };
  if (data.categoryId && !(await services.db.productCategory.findUnique({ where: { id: data.categoryId }, select: { id: true } }))) {
    return { ok: false, error: "invalid", fieldErrors: { categoryId: ["validation.required"] } };
  }
  if (id && !(await services.db.product.findUnique({ where: { id }, select: { id: true } }))) {
    return { ok: false, error: "invalid", fieldErrors: { id: ["error.404.title"] } };
  }
  const now = services.clock.now();
  const savedId = id ?? newSortableId(now);
  await services.db.$transaction(async (tx) => {
    if (id) await tx.product.update({ where: { id }, data });
    else await tx.product.create({ data: { id: savedId, ...data, createdAt: now } });
    await recordAudit(tx, { actorId: actor.id, action: "product.saved", subject: { type: "product", id: savedId }, data: { slug: data.slug, status: data.status }, at: now });
  });
  return { ok: true, id: savedId, slug: data.slug };
}

/** A product picture: re-encoded to WebP, at most 1200×900, replacing the previous one. */
export async function uploadProductImage(
  services: Pick<Services, "db" | "storage" | "clock">,
  actor: Actor,
  productId: string,
  file: { bytes: Buffer } | null,
): Promise<{ ok: true; key: string } | NotAllowed | { ok: false; error: ImageFailure | "notFound" | "storageUnavailable" }> {
  if (!hasPermission(actor, "product:manage:any")) return { ok: false, error: "notAllowed" };
  const product = await services.db.product.findUnique({ where: { id: productId }, select: { slug: true, imageKey: true } });
  if (!product) return { ok: false, error: "notFound" };
  const image = await reencodeImage(file, { maxBytes: PRODUCT_IMAGE_MAX_BYTES, width: 1200, height: 900, fit: "inside" });
  if (!image.ok) return image;
  const key = newImageKey("products", product.slug);
  const stored = await storeImage(services.storage, key, image.bytes);
  if (!stored.ok) return stored;
  const now = services.clock.now();
  await services.db
    .$transaction(async (tx) => {
      await tx.product.update({ where: { id: productId }, data: { imageKey: key } });
      await recordAudit(tx, { actorId: actor.id, action: "product.saved", subject: { type: "product", id: productId }, data: { image: key }, at: now });
    })
    .catch(async (error: unknown) => {
      await services.storage.delete(key).catch(() => {}); // not referenced by anything: don't keep it
      throw error;
    });
  if (product.imageKey) await services.storage.delete(product.imageKey).catch(() => {});
  return { ok: true, key };
}

export async function saveProductCategory(
  services: Services,
  actor: Actor,
  input: Record<string, unknown>,
): Promise<{ ok: true; id: string } | NotAllowed | Invalid> {
  if (!hasPermission(actor, "product:manage:any")) return { ok: false, error: "notAllowed" };
  const parsed = ProductCategorySchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid", fieldErrors: parsed.error.flatten().fieldErrors as Record<string, string[]> };
  const { id, ...data } = parsed.data;
  const clash = await services.db.productCategory.findUnique({ where: { slug: data.slug }, select: { id: true } });
  if (clash && clash.id !== id) return { ok: false, error: "invalid", fieldErrors: { slug: ["category.slugTaken"] } };
  const now = services.clock.now();
  const savedId = id ?? newSortableId(now);
  await services.db.$transaction(async (tx) => {
    if (id) await tx.productCategory.update({ where: { id }, data });
    else await tx.productCategory.create({ data: { id: savedId, ...data } });
    await recordAudit(tx, { actorId: actor.id, action: "product.category_saved", subject: { type: "product_category", id: savedId }, data: { slug: data.slug }, at: now });
  });
  return { ok: true, id: savedId };
}
