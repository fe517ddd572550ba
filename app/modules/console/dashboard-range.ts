/**
 * The dashboard's date range and the fixed orders it shows things in;
 * shared by the page (preset links) and the server (validation).
 */
import type { IdeaStatus, RelationshipStage } from "~/generated/prisma/enums";
import { addDays, daysBetween, isCalendarDay } from "./calendar";

export const RANGE_PRESETS = [7, 30, 90] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_PRESET: RangePreset = 30;
export const MAX_RANGE_DAYS = 366;

/** The seven stages, in the order a relationship goes through them. */
export const STAGES = ["attract", "establish", "build", "develop", "maintain", "strengthen", "loyal"] as const satisfies readonly RelationshipStage[];
export const IDEA_STATUSES = ["open", "under_review", "planned", "in_progress", "done", "declined", "duplicate"] as const satisfies readonly IdeaStatus[];

export interface DashboardRange {
  from: string;
  to: string;
  days: number;
  preset: RangePreset | null;
}

export type RangeErrors = Partial<Record<"from" | "to", string>>;

function presetRange(preset: RangePreset, today: string): DashboardRange {
  return { from: addDays(today, -(preset - 1)), to: today, days: preset, preset };
}

/**
 * The range from the query string: `?days=7|30|90`, or `?from=&to=` (calendar
 * days, from ≤ to ≤ today, at most a year). A bad custom range falls back to
 * the default preset and says why, keeping what was typed.
 */
export function parseDashboardRange(params: URLSearchParams, today: string): { range: DashboardRange; errors: RangeErrors; typed: { from: string; to: string } } {
  const from = (params.get("from") ?? "").trim().slice(0, 20);
  const to = (params.get("to") ?? "").trim().slice(0, 20);
  const typed = { from, to };
  if (from || to) {
    const errors: RangeErrors = {};
    if (!from) errors.from = "dashboard.error.fromRequired";
    else if (!isCalendarDay(from)) errors.from = "dashboard.error.dateInvalid";
    if (!to) errors.to = "dashboard.error.toRequired";
    else if (!isCalendarDay(to)) errors.to = "dashboard.error.dateInvalid";
    else if (to > today) errors.to = "dashboard.error.toFuture";
    if (!errors.from && !errors.to) {
      if (from > to) errors.to = "dashboard.error.toBeforeFrom";
      else if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) errors.to = "dashboard.error.tooLong";
    }
    if (Object.keys(errors).length === 0) return { range: { from, to, days: daysBetween(from, to) + 1, preset: null }, errors, typed };
    return { range: presetRange(DEFAULT_PRESET, today), errors, typed };
  }
  const days = Number(params.get("days"));
  const preset = (RANGE_PRESETS as readonly number[]).includes(days) ? (days as RangePreset) : DEFAULT_PRESET;
  return { range: presetRange(preset, today), errors: {}, typed };
}
