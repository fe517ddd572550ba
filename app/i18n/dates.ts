/**
 * Every date and time a person reads, in their language and time zone: one
 * formatter with a few named styles, so a page never mixes "2026-12-10" with
 * "10 Dec 2026". The zone is the reader's (their profile's, else the browser's
 * cookie, else the install's), handed to the server render and to hydration
 * alike, so both write the same text.
 */
import type { Locale } from "./locales";

const STYLES = {
  /** 10 Dec 2026 */
  date: { dateStyle: "medium" },
  /** 10 Dec 2026, 14:05 */
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  /** 14:05 */
  time: { timeStyle: "short" },
  /** 10 Dec 2026, 14:05:09: logs, where the order of events matters */
  precise: { dateStyle: "medium", timeStyle: "medium" },
  /** 10/12: a chart's axis */
  dayMonth: { day: "numeric", month: "numeric" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

export type DateStyle = keyof typeof STYLES;
type Instant = Date | string | number;

export interface DateFormat {
  locale: Locale;
  timeZone: string;
  /** An instant in a named style, in the reader's zone. */
  format(value: Instant, style: DateStyle): string;
  date(value: Instant): string;
  dateTime(value: Instant): string;
  time(value: Instant): string;
  /** A calendar day ("2026-12-10", as tasks are due) in the date style: a day has no zone. */
  day(day: string, style?: "date" | "dayMonth"): string;
  /** A wall-clock moment with no zone ("2026-12-10T09:00": an announcement at each member's own 9:00) in the dateTime style. */
  wall(localWall: string): string;
}

const LOCALE_TAGS: Record<Locale, string> = { en: "en-GB", vi: "vi-VN" };
// Building an Intl.DateTimeFormat costs far more than formatting with one
// (it was a tenth of the thread page's server time): keep one per locale, zone and style.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, timeZone: string, style: DateStyle) {
  const key = `${locale}|${timeZone}|${style}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(LOCALE_TAGS[locale], { ...STYLES[style], timeZone });
    formatters.set(key, found);
  }
  return found;
}

export function dateFormat(locale: Locale, timeZone: string): DateFormat {
  const format = (value: Instant, style: DateStyle) => formatter(locale, timeZone, style).format(new Date(value));
  return {
    locale,
    timeZone,
    format,
    date: (value) => format(value, "date"),
    dateTime: (value) => format(value, "dateTime"),
    time: (value) => format(value, "time"),
    // Noon UTC of that day is the same day in UTC, whatever the reader's zone.
    day: (day, style = "date") => formatter(locale, "UTC", style).format(new Date(`${day}T12:00:00Z`)),
    // Read and written in UTC, so the clock reading comes out as stored, whatever the reader's zone.
    wall: (localWall) => formatter(locale, "UTC", "dateTime").format(new Date(`${localWall}:00Z`)),
  };
}

/** "2026-12-10": a calendar day as stored with tasks. */
export function isDayString(value: unknown): value is string {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
}
