/**
 * A member's preferred contact hours for email (issue 18): some weekdays, from..to, on the wall
 * clock of their own time zone. Unset is "any time". Client-safe: the profile form, the staff
 * record and the announcement dispatcher share it.
 */
import { z } from "zod";
import { addDays, wallClock, zonedInstant } from "../calendar";

/** ISO weekdays, 1 = Monday … 7 = Sunday. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type ContactWindow = { weekdays: number[]; fromMinute: number; toMinute: number };

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const minuteOf = (time: string) => {
  const match = TIME.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
};

export const timeOf = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

/**
 * The profile form, and the command's input: "any time", or weekdays with a window that starts
 * before it ends on the same day (one that crosses midnight is two choices a member rarely means).
 */
export const ContactHoursSchema = z
  .object({
    mode: z.enum(["any", "window"], { required_error: "validation.required" }),
    weekdays: z.array(z.coerce.number().int().min(1).max(7)).max(7).optional(),
    from: z.string().trim().optional(),
    to: z.string().trim().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.mode === "any") return;
    if (!value.weekdays?.length) ctx.addIssue({ code: "custom", path: ["weekdays"], message: "contactHours.noWeekday" });
    const from = value.from ? minuteOf(value.from) : null;
    const to = value.to ? minuteOf(value.to) : null;
    if (from === null) ctx.addIssue({ code: "custom", path: ["from"], message: "contactHours.timeInvalid" });
    if (to === null) ctx.addIssue({ code: "custom", path: ["to"], message: "contactHours.timeInvalid" });
    if (from !== null && to !== null && from >= to) ctx.addIssue({ code: "custom", path: ["to"], message: "contactHours.toNotAfterFrom" });
  });

export type ContactHoursInput = z.infer<typeof ContactHoursSchema>;

/** The window a valid input describes, or null for "any time". */
export function windowOf(input: ContactHoursInput): ContactWindow | null {
  if (input.mode === "any") return null;
  return { weekdays: [...new Set(input.weekdays ?? [])].sort((a, b) => a - b), fromMinute: minuteOf(input.from ?? "") ?? 0, toMinute: minuteOf(input.to ?? "") ?? 0 };
}

/**
 * When mail may reach the member: null when it may go now (no window, or inside it), else the
 * next instant the window opens in their zone. Read on the wall clock of each day, so a
 * daylight-saving change moves the instant, not the member's 08:00.
 */
export function nextContactOpening(now: Date, window: ContactWindow | null | undefined, timeZone: string): Date | null {
  if (!window || !window.weekdays.length || window.fromMinute >= window.toMinute) return null;
  const here = wallClock(now, timeZone);
  const days = new Set(window.weekdays);
  if (days.has(here.weekday) && here.minute >= window.fromMinute && here.minute < window.toMinute) return null;
  for (let ahead = 0; ahead <= 7; ahead++) {
    const weekday = ((here.weekday - 1 + ahead) % 7) + 1;
    if (!days.has(weekday) || (ahead === 0 && here.minute >= window.fromMinute)) continue;
    const opening = zonedInstant(addDays(here.day, ahead), Math.floor(window.fromMinute / 60), window.fromMinute % 60, timeZone);
    if (opening > now) return opening;
  }
  return null;
}

/** Weekdays as runs for reading: [1,2,3,4,5,7] → [[1,5],[7,7]]. */
export function weekdayRuns(weekdays: number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const day of [...new Set(weekdays)].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last && last[1] === day - 1) last[1] = day;
    else runs.push([day, day]);
  }
  return runs;
}
