/** Forum forms, shared by the browser and the server. */
import { z } from "zod";

export const POST_BODY_MAX = 20_000;

export const postBody = z
  .string({ required_error: "forum.bodyRequired" })
  .trim()
  .min(2, "forum.bodyTooShort")
  .max(POST_BODY_MAX, "forum.bodyTooLong");

export const NewThreadSchema = z.object({
  categoryId: z.string({ required_error: "forum.categoryRequired" }).min(1, "forum.categoryRequired"),
  title: z
    .string({ required_error: "forum.titleRequired" })
    .trim()
    .min(8, "forum.titleTooShort")
    .max(140, "forum.titleTooLong"),
  body: postBody,
});

export const ReplySchema = z.object({
  body: postBody,
  quotePostId: z.string().optional(),
});

export const FLAG_REASONS = ["spam", "offensive", "off_topic", "other"] as const;

export const REACTION_KINDS = ["like", "helpful", "thanks"] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];
