/** Idea forms and the status workflow, shared by the browser and the server. */
import { z } from "zod";

export const IDEA_STATUSES = ["open", "under_review", "planned", "in_progress", "done", "declined", "duplicate"] as const;
export type IdeaStatusName = (typeof IDEA_STATUSES)[number];
/** Statuses that take votes; done, declined and duplicate are closed. */
export const VOTABLE_STATUSES: readonly IdeaStatusName[] = ["open", "under_review", "planned", "in_progress"];
/** What staff choose from; duplicate is reached only by merging. */
export const SETTABLE_STATUSES: readonly IdeaStatusName[] = ["open", "under_review", "planned", "in_progress", "done", "declined"];
export const ROADMAP_STATUSES = ["planned", "in_progress", "done"] as const satisfies readonly IdeaStatusName[];

export const IDEA_SORTS = ["trending", "top", "new"] as const;
export type IdeaSort = (typeof IDEA_SORTS)[number];
/** The list's status filter: the active ones by default, everything, or one status. */
export const IDEA_STATUS_FILTERS = ["active", "all", ...IDEA_STATUSES] as const;

export const IDEA_BODY_MAX = 10_000;

export const IdeaSchema = z.object({
  title: z.string({ required_error: "idea.titleRequired" }).trim().min(8, "idea.titleTooShort").max(140, "idea.titleTooLong"),
  body: z.string({ required_error: "idea.bodyRequired" }).trim().min(10, "idea.bodyTooShort").max(IDEA_BODY_MAX, "idea.bodyTooLong"),
  productId: z
    .string()
    .optional()
    .transform((v) => v || null),
});

export const CommentSchema = z.object({
  body: z.string({ required_error: "idea.commentRequired" }).trim().min(2, "idea.commentTooShort").max(5_000, "idea.commentTooLong"),
});

export const StatusChangeSchema = z.object({
  status: z.enum(SETTABLE_STATUSES as [IdeaStatusName, ...IdeaStatusName[]], { errorMap: () => ({ message: "idea.statusRequired" }) }),
  comment: z.string().trim().max(5_000, "idea.commentTooLong").default(""),
});

/** Lower case, without Vietnamese diacritics or punctuation: "Thêm chế độ tối!" → "them che do toi". */
export function searchableText(text: string) {
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
