/** Product, review and idea forms, shared by the browser and the server. */
import { z } from "zod";

const slug = z
  .string({ required_error: "validation.required" })
  .trim()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "category.slugInvalid")
  .max(60, "validation.tooLong");

export const ProductSchema = z.object({
  id: z.string().optional(),
  slug,
  nameVi: z.string({ required_error: "validation.required" }).trim().min(2, "validation.required").max(80, "validation.tooLong"),
  nameEn: z.string({ required_error: "validation.required" }).trim().min(2, "validation.required").max(80, "validation.tooLong"),
  descriptionVi: z.string().trim().max(2_000, "validation.tooLong").default(""),
  descriptionEn: z.string().trim().max(2_000, "validation.tooLong").default(""),
  categoryId: z
    .string()
    .optional()
    .transform((v) => v || null),
  status: z.enum(["active", "retired"], { errorMap: () => ({ message: "validation.required" }) }),
});

export const ProductCategorySchema = z.object({
  id: z.string().optional(),
  slug,
  nameVi: z.string({ required_error: "validation.required" }).trim().min(2, "validation.required").max(60, "validation.tooLong"),
  nameEn: z.string({ required_error: "validation.required" }).trim().min(2, "validation.required").max(60, "validation.tooLong"),
  position: z.coerce.number().int().min(0).max(1000).default(0),
});

export const REVIEW_BODY_MAX = 10_000;

export const ReviewSchema = z.object({
  rating: z.coerce
    .number({ required_error: "review.ratingRequired", invalid_type_error: "review.ratingRequired" })
    .int("review.ratingRequired")
    .min(1, "review.ratingRequired")
    .max(5, "review.ratingRequired"),
  title: z.string({ required_error: "review.titleRequired" }).trim().min(3, "review.titleTooShort").max(120, "review.titleTooLong"),
  body: z.string({ required_error: "review.bodyRequired" }).trim().min(10, "review.bodyTooShort").max(REVIEW_BODY_MAX, "review.bodyTooLong"),
});

export const ResponseSchema = z.object({
  body: z.string({ required_error: "review.bodyRequired" }).trim().min(2, "review.bodyTooShort").max(REVIEW_BODY_MAX, "review.bodyTooLong"),
});

export const REPORT_REASONS = ["spam", "offensive", "off_topic", "fake", "other"] as const;

export const PRODUCT_SORTS = ["name", "rating", "reviews"] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/** How many members one bulk "record owners" form takes. */
export const BULK_OWNERS_MAX = 200;

export const REVIEW_SORTS = ["helpful", "newest", "highest", "lowest"] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];
