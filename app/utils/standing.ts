import type { Translate } from "~/i18n/translate";
import type { DateFormat } from "~/i18n/dates";

export { SUSPENSION_DAYS } from "~/modules/members/suspension-days";

/** "until 9 Dec 2026, 10:00", or "until a moderator lifts it". */
export function suspensionEnd(t: Translate, dates: DateFormat, suspension: { until: Date | string; untilLifted: boolean }) {
  if (suspension.untilLifted) return t("standing.untilLifted");
  return t("standing.untilDate", { date: dates.dateTime(suspension.until) });
}
