import type { Translate } from "~/i18n/translate";
import type { DateFormat } from "~/i18n/dates";

/** How long a moderator may suspend for, in days, or until lifted (app/modules/members/standing.server.ts). */
export const SUSPENSION_DAYS = ["1", "7", "30", "365", "lifted"] as const;

/** "until 9 Dec 2026, 10:00", or "until a moderator lifts it". */
export function suspensionEnd(t: Translate, dates: DateFormat, suspension: { until: Date | string; untilLifted: boolean }) {
  if (suspension.untilLifted) return t("standing.untilLifted");
  return t("standing.untilDate", { date: dates.dateTime(suspension.until) });
}
