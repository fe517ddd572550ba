import type { Translate } from "~/i18n/translate";
import type { Locale } from "~/i18n/locales";
import { formatDate } from "~/utils/i18n";

/** How long a moderator may suspend for, in days, or until lifted (app/modules/members/standing.server.ts). */
export const SUSPENSION_DAYS = ["1", "7", "30", "365", "lifted"] as const;

/** "until 9 December 2026 at 10:00", or "until a moderator lifts it". */
export function suspensionEnd(t: Translate, locale: Locale, suspension: { until: Date | string; untilLifted: boolean }) {
  if (suspension.untilLifted) return t("standing.untilLifted");
  return t("standing.untilDate", { date: formatDate(locale, suspension.until, { dateStyle: "long", timeStyle: "short" }) });
}
