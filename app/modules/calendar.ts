/**
 * Calendar days in a person's time zone. A task is due on a day, not at an
 * instant: "today" and "overdue" depend on where the reader is, and the
 * reminder goes out at 08:00 where the assignee is. Days travel as
 * "YYYY-MM-DD"; Postgres `date` columns arrive from Prisma as UTC midnight.
 */
export const FALLBACK_TIME_ZONE = "Asia/Ho_Chi_Minh";
const DAY_MS = 24 * 60 * 60_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
const partFormatters = new Map<string, Intl.DateTimeFormat>();

export function isTimeZone(value: string) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A stored time zone we can use; an unknown one falls back rather than failing a page. */
export function usableTimeZone(value: string | null | undefined) {
  return value && isTimeZone(value) ? value : FALLBACK_TIME_ZONE;
}

/** "2026-11-23" for a real calendar day, false for "2026-02-30" or "tomorrow". */
export function isCalendarDay(value: string) {
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value && Number(match[1]) >= 1970;
}

/** The calendar day an instant falls on in a time zone. */
export function calendarDay(instant: Date, timeZone: string) {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter.format(instant);
}

export function addDays(day: string, days: number) {
  return new Date(dayToDate(day).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string) {
  return Math.round((dayToDate(to).getTime() - dayToDate(from).getTime()) / DAY_MS);
}

/** For a `@db.Date` column: the day as UTC midnight. */
export function dayToDate(day: string) {
  return new Date(`${day}T00:00:00.000Z`);
}

export function dateToDay(date: Date) {
  return date.toISOString().slice(0, 10);
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function zoneOffsetMs(instant: Date, timeZone: string) {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partFormatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens on a day in a zone (08:00 in
 * Hanoi on 2026-11-23 is 01:00 UTC). The offset is read twice, so a day on
 * which daylight saving starts or ends lands on the right side.
 */
export function zonedInstant(day: string, hour: number, minute: number, timeZone: string) {
  const wall = dayToDate(day).getTime() + (hour * 60 + minute) * 60_000;
  const first = wall - zoneOffsetMs(new Date(wall), timeZone);
  const second = wall - zoneOffsetMs(new Date(first), timeZone);
  return new Date(second);
}

/** The wall clock in a zone at an instant: its calendar day, ISO weekday (1 = Monday) and minutes after midnight. */
export function wallClock(instant: Date, timeZone: string) {
  const wall = new Date(Math.floor(instant.getTime() / 60_000) * 60_000 + zoneOffsetMs(instant, timeZone));
  return { day: wall.toISOString().slice(0, 10), weekday: wall.getUTCDay() || 7, minute: wall.getUTCHours() * 60 + wall.getUTCMinutes() };
}
