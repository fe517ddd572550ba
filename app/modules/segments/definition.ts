/**
 * A segment: a saved set of conditions on what Rapport remembers about a member. Client-safe (the
 * editor builds the same shape it posts). The shape is HubSpot's: groups joined by AND or OR, each
 * group a list of conditions joined by its own AND or OR; two levels cover what staff ask for
 * ("Loyal, and owns the Phin filter or said they like coffee") without a tree editor.
 *
 * Every condition compiles to one indexed Prisma filter and one SQL condition (where.server.ts), so
 * a segment is one SQL query however it is built. See docs/decisions/018-segments-and-announcements.md.
 */
import { z } from "zod";
import { STAGES, ENGAGEMENT_BANDS } from "../relationship";
import { LOCALES } from "../locales";
import { PREFERENCE_KEYS } from "../members/preference-catalogue";
import { CONSENT_CHANNELS } from "../members/profile-schema";

/** What a member did, read off their touchpoints (indexed by member, kind and time). */
export const SEGMENT_ACTIVITIES = {
  reviewed: ["review.written"],
  voted: ["idea.voted", "review.marked_helpful"],
  posted: ["forum.thread_started", "forum.replied"],
  chatted: ["chat.session"],
  submitted_idea: ["idea.submitted"],
} as const satisfies Record<string, readonly string[]>;
export type SegmentActivity = keyof typeof SEGMENT_ACTIVITIES;
const ACTIVITIES = Object.keys(SEGMENT_ACTIVITIES) as [SegmentActivity, ...SegmentActivity[]];

export const SEGMENT_LIMITS = { conditionsPerGroup: 20, groups: 10, values: 50, days: 3650, nameMax: 80, descriptionMax: 500 } as const;

const id = z.string().trim().min(1).max(64);
const days = z.coerce.number({ invalid_type_error: "segment.daysInvalid" }).int("segment.daysInvalid").min(1, "segment.daysInvalid").max(SEGMENT_LIMITS.days, "segment.daysInvalid");
const score = z.coerce.number({ invalid_type_error: "segment.scoreInvalid" }).int("segment.scoreInvalid").min(0, "segment.scoreInvalid").max(100_000, "segment.scoreInvalid");
const someOf = <T extends z.ZodTypeAny>(item: T) => z.array(item).min(1, "segment.valuesRequired").max(SEGMENT_LIMITS.values, "segment.tooManyValues");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "segment.dateInvalid");

export const ConditionSchema = z.discriminatedUnion("field", [
  z.object({ field: z.literal("stage"), op: z.enum(["in", "not_in"]), values: someOf(z.enum(STAGES)) }),
  z.object({ field: z.literal("engagement_band"), values: someOf(z.enum(Object.keys(ENGAGEMENT_BANDS) as ["low", "medium", "high"])) }),
  z.object({ field: z.literal("engagement_score"), min: score.optional(), max: score.optional() }),
  // "none" stands for members without a manager.
  z.object({ field: z.literal("manager"), op: z.enum(["in", "not_in"]), values: someOf(id) }),
  z.object({ field: z.literal("tag"), op: z.enum(["any", "all", "none"]), values: someOf(z.string().trim().toLowerCase().min(1).max(40)) }),
  z.object({ field: z.literal("owns_product"), op: z.enum(["any", "all", "none"]), values: someOf(id) }),
  z.object({
    field: z.literal("preference"),
    key: z.enum(PREFERENCE_KEYS as [string, ...string[]], { errorMap: () => ({ message: "segment.preferenceKey" }) }),
    op: z.enum(["is", "contains", "set", "unset"]),
    value: z.string().trim().max(200).optional(),
  }),
  z.object({ field: z.literal("language"), values: someOf(z.enum(LOCALES)) }),
  z.object({ field: z.literal("member_since"), op: z.enum(["before", "after"]), date: isoDate }),
  z.object({ field: z.literal("last_activity"), op: z.enum(["within", "not_within"]), days }),
  z.object({ field: z.literal("activity"), activity: z.enum(ACTIVITIES), op: z.enum(["has", "has_not"]), days: days.optional() }),
  z.object({ field: z.literal("review_rating"), min: z.coerce.number().int().min(1).max(5), max: z.coerce.number().int().min(1).max(5) }),
  z.object({ field: z.literal("consent"), channel: z.enum(CONSENT_CHANNELS), granted: z.boolean() }),
]);
export type SegmentCondition = z.infer<typeof ConditionSchema>;
export type SegmentField = SegmentCondition["field"];
export const SEGMENT_FIELDS = ConditionSchema.options.map((o) => (o.shape as { field: z.ZodLiteral<SegmentField> }).field.value);

/** What the field schemas alone cannot say: ranges in order, a value where the operator needs one. */
function conditionProblem(c: z.infer<typeof ConditionSchema>): string | null {
  if (c.field === "engagement_score") {
    if (c.min === undefined && c.max === undefined) return "segment.rangeRequired";
    if (c.min !== undefined && c.max !== undefined && c.min > c.max) return "segment.rangeOrder";
  }
  if (c.field === "review_rating" && c.min > c.max) return "segment.rangeOrder";
  if (c.field === "preference" && (c.op === "is" || c.op === "contains") && !c.value) return "segment.valueRequired";
  return null;
}

const Combinator = z.enum(["and", "or"]);

export const SegmentGroupSchema = z.object({
  match: Combinator.default("and"),
  conditions: z.array(ConditionSchema).max(SEGMENT_LIMITS.conditionsPerGroup, "segment.tooManyConditions"),
});

export const SegmentDefinitionSchema = z
  .object({
    match: Combinator.default("and"),
    groups: z.array(SegmentGroupSchema).max(SEGMENT_LIMITS.groups, "segment.tooManyGroups"),
  })
  .superRefine((d, ctx) => {
    if (!d.groups.some((g) => g.conditions.length > 0)) ctx.addIssue({ code: "custom", path: ["groups"], message: "segment.noConditions" });
    d.groups.forEach((g, gi) =>
      g.conditions.forEach((c, ci) => {
        const path = ["groups", gi, "conditions", ci];
        const problem = conditionProblem(c);
        if (problem) ctx.addIssue({ code: "custom", path, message: problem });
      }),
    );
  });
export type SegmentDefinition = z.infer<typeof SegmentDefinitionSchema>;

/** A definition from JSON text (a form field or a stored row); null when it is not one. */
export function parseDefinition(raw: unknown): { ok: true; definition: SegmentDefinition } | { ok: false; message: string } {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, message: "segment.definitionInvalid" };
    }
  }
  const parsed = SegmentDefinitionSchema.safeParse(value);
  if (parsed.success) return { ok: true, definition: parsed.data };
  return { ok: false, message: parsed.error.issues[0]?.message.startsWith("segment.") ? parsed.error.issues[0].message : "segment.definitionInvalid" };
}

/** Every problem with a definition, each at its place ("groups.0.conditions.2" or "" for the whole), for the editor to show beside the row. */
export function definitionIssues(raw: unknown): { path: string; message: string }[] {
  const parsed = parseDefinition(raw);
  if (parsed.ok) return [];
  const value = typeof raw === "string" ? safeJson(raw) : raw;
  const result = SegmentDefinitionSchema.safeParse(value);
  if (result.success || value === undefined) return [{ path: "", message: parsed.message }];
  return result.error.issues.map((issue) => {
    // A condition's own problem is told on its row; a broken group or the whole list, above them.
    const at = issue.path.length >= 4 && issue.path[2] === "conditions" ? issue.path.slice(0, 4) : [];
    return { path: at.join("."), message: issue.message.startsWith("segment.") ? issue.message : "segment.definitionInvalid" };
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
