/**
 * What an announcement is made of, shared by the module and the composer: the topics it may be
 * sent under, the channels, the limits and the form's parser (messages are keys).
 */
import { z } from "zod";
import type { ConsentChannel } from "../members/profile-schema";

/** Surveys ask something of the member; an announcement tells them something. */
export const ANNOUNCEMENT_TOPICS = ["newsletter", "product_updates", "offers", "community_digest"] as const satisfies readonly Exclude<ConsentChannel, "surveys">[];
export type AnnouncementTopic = (typeof ANNOUNCEMENT_TOPICS)[number];
export const ANNOUNCEMENT_CHANNELS = ["in_app", "email"] as const;
export type AnnouncementChannel = (typeof ANNOUNCEMENT_CHANNELS)[number];

export const ANNOUNCEMENT_LIMITS = { titleMax: 200, bodyMax: 20_000 };

/** The variables a body may use, replaced per recipient (escaped) before the markdown renders. */
export const ANNOUNCEMENT_VARIABLES = ["member.firstName", "member.name", "manager.name"] as const;

// PostgreSQL refuses NUL in text; say so on the field instead of failing the write.
const text = (max: number) =>
  z
    .string()
    .default("")
    .transform((v) => v.replace(/\r\n/g, "\n").trim())
    .refine((v) => !v.includes("\u0000"), "announcement.invalidCharacters")
    .refine((v) => v.length <= max, "announcement.tooLong");

/** A form gives one value or several under the same name; a caller an array. */
const channels = z.preprocess(
  (v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.enum(ANNOUNCEMENT_CHANNELS, { errorMap: () => ({ message: "announcement.channelsRequired" }) })).min(1, "announcement.channelsRequired"),
);

export const AnnouncementInput = z
  .object({
    titleVi: text(ANNOUNCEMENT_LIMITS.titleMax),
    titleEn: text(ANNOUNCEMENT_LIMITS.titleMax),
    bodyVi: text(ANNOUNCEMENT_LIMITS.bodyMax),
    bodyEn: text(ANNOUNCEMENT_LIMITS.bodyMax),
    topic: z.enum(ANNOUNCEMENT_TOPICS, { errorMap: () => ({ message: "announcement.topicRequired" }) }),
    channels,
    segmentId: z.string({ required_error: "announcement.segmentRequired" }).trim().min(1, "announcement.segmentRequired").max(64, "announcement.segmentRequired"),
  })
  .superRefine((v, ctx) => {
    // One language may be left empty (its readers get the other), but not both, and a title goes with its body.
    if (!v.bodyVi && !v.bodyEn) ctx.addIssue({ code: "custom", path: ["bodyVi"], message: "announcement.bodyRequired" });
    for (const [title, body] of [["titleVi", "bodyVi"], ["titleEn", "bodyEn"]] as const) {
      if (v[body] && !v[title]) ctx.addIssue({ code: "custom", path: [title], message: "announcement.titleRequired" });
      if (v[title] && !v[body]) ctx.addIssue({ code: "custom", path: [body], message: "announcement.bodyRequired" });
    }
  });
export type AnnouncementFields = z.infer<typeof AnnouncementInput>;
