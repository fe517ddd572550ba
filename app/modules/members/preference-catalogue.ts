/**
 * The structured preferences the business remembers. Keys are fixed here so
 * staff and members speak of the same things; values are validated per key.
 * Shared with the UI (labels come from i18n: `pref.<key>`, `pref.<key>.<choice>`).
 */
import { z } from "zod";

export const PREFERENCE_CATALOGUE = {
  delivery_window: { type: "choice", choices: ["morning", "afternoon", "evening", "weekend"] },
  invoice_format: { type: "choice", choices: ["e_invoice", "pdf", "paper"] },
  invoice_schedule: { type: "choice", choices: ["per_order", "monthly", "quarterly"] },
  packaging: { type: "choice", choices: ["standard", "minimal", "gift", "plastic_free"] },
  product_interests: { type: "text", max: 200 },
  clothing_size: { type: "choice", choices: ["XS", "S", "M", "L", "XL", "XXL"] },
  shoe_size: { type: "text", max: 10 },
  notes: { type: "text", max: 1000 },
} as const;

export type PreferenceKey = keyof typeof PREFERENCE_CATALOGUE;
export const PREFERENCE_KEYS = Object.keys(PREFERENCE_CATALOGUE) as PreferenceKey[];

export function isPreferenceKey(value: string): value is PreferenceKey {
  return value in PREFERENCE_CATALOGUE;
}

export const PreferenceInputSchema = z
  .object({
    key: z.string({ required_error: "validation.required" }),
    value: z.string({ required_error: "validation.required" }).trim().min(1, "validation.required"),
  })
  .superRefine((input, ctx) => {
    if (!isPreferenceKey(input.key)) {
      ctx.addIssue({ code: "custom", path: ["key"], message: "pref.unknownKey" });
      return;
    }
    const spec = PREFERENCE_CATALOGUE[input.key];
    if (spec.type === "choice" && !(spec.choices as readonly string[]).includes(input.value)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "pref.invalidChoice" });
    }
    if (spec.type === "text" && input.value.length > spec.max) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "pref.tooLong" });
    }
  });
