/**
 * The product catalogue: what members own, review and tie ideas to. Admins
 * manage products (names and descriptions in both languages, slug, image,
 * category, active or retired); every change is audited.
 */
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import type { Db, FileStorage, Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { defineCommand, type CommandOrigin } from "../commands/command.server";
import { fail, type Failure } from "../commands/failure";
import { can } from "../policy/can";
import { newSortableId } from "../ids.server";
import { newImageKey, reencodeImage, storeImage, uploadUrl } from "../storage/images.server";
import { ProductCategorySchema, ProductSchema } from "./product-schemas";

export const PRODUCT_IMAGE_MAX_BYTES = 4 * 1024 * 1024;

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

const manages = (actor: Actor) => can(actor, "product.manage");

/** Creates a product (no id) or changes one; the slug is unique. */
export const saveProduct = defineCommand({
  name: "product.save",
  who: manages,
  input: ProductSchema,
  async run({ tx, now, audit }, { id, ...data }) {
    const clash = await tx.product.findUnique({ where: { slug: data.slug }, select: { id: true } });
    if (clash && clash.id !== id) return fail.field("slug", "products.admin.slugTaken");
    if (data.categoryId && !(await tx.productCategory.findUnique({ where: { id: data.categoryId }, select: { id: true } }))) {
      return fail.field("categoryId", "validation.required");
    }
    if (id && !(await tx.product.findUnique({ where: { id }, select: { id: true } }))) return fail.field("id", "error.404.title");
    const savedId = id ?? newSortableId(now);
    if (id) await tx.product.update({ where: { id }, data });
    else await tx.product.create({ data: { id: savedId, ...data, createdAt: now } });
    await audit({ action: "product.saved", subject: { type: "product", id: savedId }, data: { slug: data.slug, status: data.status } });
    return { ok: true, id: savedId, slug: data.slug };
  },
});

export const saveProductCategory = defineCommand({
  name: "product.category_save",
  who: manages,
  input: ProductCategorySchema,
  async run({ tx, now, audit }, { id, ...data }) {
    const clash = await tx.productCategory.findUnique({ where: { slug: data.slug }, select: { id: true } });
    if (clash && clash.id !== id) return fail.field("slug", "category.slugTaken");
    const savedId = id ?? newSortableId(now);
    if (id) await tx.productCategory.update({ where: { id }, data });
    else await tx.productCategory.create({ data: { id: savedId, ...data } });
    await audit({ action: "product.category_saved", subject: { type: "product_category", id: savedId }, data: { slug: data.slug } });
    return { ok: true, id: savedId };
  },
});

const ProductRef = z.object({ productId: z.string().min(1).max(64) });
const productToPicture = (db: Db, productId: string) => db.product.findUnique({ where: { id: productId }, select: { slug: true, imageKey: true } });

/** Makes a stored picture the product's; the one it replaces is the caller's to delete once this committed. */
const recordProductImage = defineCommand({
  name: "product.image",
  who: manages,
  ref: ProductRef,
  input: z.object({ key: z.string().min(1) }),
  load: (services, { productId }) => productToPicture(services.db, productId),
  async run({ tx, audit }, { productId, key }, product) {
    await tx.product.update({ where: { id: productId }, data: { imageKey: key } });
    await audit({ action: "product.saved", subject: { type: "product", id: productId }, data: { image: key } });
    return { ok: true, replaced: product.imageKey };
  },
});

/**
 * A product picture: re-encoded to WebP, at most 1200×900, stored, then recorded by
 * the command above, replacing the previous one. The file work stays outside the
 * transaction; who may upload and which product are asked first, so a refused
 * upload costs no decoding (the command asks again in its own steps).
 */
export async function uploadProductImage(
  services: Services,
  actor: Actor,
  raw: { productId?: unknown; file: { bytes: Buffer } | null },
  origin?: CommandOrigin,
): Promise<{ ok: true; key: string } | Failure> {
  if (!manages(actor)) return fail.notAllowed();
  const ref = ProductRef.safeParse(raw);
  const product = ref.success ? await productToPicture(services.db, ref.data.productId) : null;
  if (!ref.success || !product) return fail.notFound();
  const image = await reencodeImage(raw.file, { maxBytes: PRODUCT_IMAGE_MAX_BYTES, width: 1200, height: 900, fit: "inside" });
  if (!image.ok) return fail.because(image.error);
  const key = newImageKey("products", product.slug);
  const stored = await storeImage(services.storage, key, image.bytes);
  if (!stored.ok) return fail.because(stored.error);
  // The new file is referenced only once the command commits: otherwise it goes.
  const recorded = await recordProductImage(services, actor, { productId: ref.data.productId, key }, origin).catch(async (error: unknown) => {
    await discard(services.storage, key);
    throw error;
  });
  await discard(services.storage, recorded.ok ? recorded.replaced : key);
  return recorded.ok ? { ok: true, key } : recorded;
}

/** Removes a picture nothing refers to any more; a file left behind is only wasted space. */
async function discard(storage: FileStorage, key: string | null) {
  if (key) await storage.delete(key).catch(() => {});
}
