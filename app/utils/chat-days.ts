/**
 * Chat messages grouped by the calendar day they were sent on, in the
 * viewer's time zone, each day headed "Today", "Yesterday" or its date.
 * The chat renders every list through this, whether it came with the page,
 * from history or live, so a message arriving after midnight opens a new day
 * exactly as a reload would show it.
 */
import { addDays, calendarDay } from "~/modules/console/calendar";
import type { Locale } from "~/i18n/locales";
import type { Translate } from "~/i18n/translate";

export interface ChatDayGroup<T> {
  /** "YYYY-MM-DD" in the viewer's zone. */
  day: string;
  messages: T[];
}

export function groupByDay<T extends { createdAt: string }>(messages: readonly T[], timeZone: string): ChatDayGroup<T>[] {
  const groups: ChatDayGroup<T>[] = [];
  for (const message of messages) {
    const day = calendarDay(new Date(message.createdAt), timeZone);
    const last = groups.at(-1);
    if (last?.day === day) last.messages.push(message);
    else groups.push({ day, messages: [message] });
  }
  return groups;
}

const headingFormats = new Map<string, Intl.DateTimeFormat>();

/** "Today", "Yesterday", "Friday 4 December", or with the year when it is not this year's. */
export function chatDayHeading(day: string, options: { now: Date; timeZone: string; locale: Locale; t: Translate }) {
  const today = calendarDay(options.now, options.timeZone);
  if (day === today) return options.t("chat.day.today");
  if (day === addDays(today, -1)) return options.t("chat.day.yesterday");
  const withYear = day.slice(0, 4) !== today.slice(0, 4);
  const key = `${options.locale}|${withYear}`;
  let format = headingFormats.get(key);
  if (!format) {
    // The day is already the viewer's; noon UTC names that same day in UTC.
    format = new Intl.DateTimeFormat(options.locale === "vi" ? "vi-VN" : "en-GB", {
      timeZone: "UTC",
      weekday: "long",
      day: "numeric",
      month: "long",
      ...(withYear ? { year: "numeric" } : {}),
    });
    headingFormats.set(key, format);
  }
  return format.format(new Date(`${day}T12:00:00Z`));
}
