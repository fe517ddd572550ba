import { isMessageKey, type Translate } from "./translate";
import type { MessageKey } from "./en";
import { isDayString, type DateFormat } from "./dates";
import { suspensionEnd } from "~/utils/standing";

/**
 * Parameters stored with a touchpoint or notification, made readable in the
 * reader's language: names kept in both languages ("product" and "productEn")
 * give the reader's one, an idea's status, a follower's role or an account's
 * new role (newRole) is translated, and a stored day or instant is written by
 * the one date formatter, in the reader's language and zone.
 */
export function localizeStoredVars(t: Translate, dates: DateFormat, data: Record<string, unknown>, vars: Record<string, string>) {
  if (dates.locale === "en") {
    for (const [name, value] of Object.entries(data)) if (name.endsWith("En") && typeof value === "string" && value.trim()) vars[name.slice(0, -2)] = value;
  }
  // A suspension's end: a date in the reader's language, or "until lifted" for the far-future marker.
  if (typeof data.until === "string" && !Number.isNaN(Date.parse(data.until))) {
    vars.until = suspensionEnd(t, dates, { until: data.until, untilLifted: new Date(data.until).getUTCFullYear() >= 9999 });
  }
  if (isDayString(data.dueOn)) vars.dueOn = dates.day(data.dueOn);
  for (const [name, prefix] of [["status", "idea.status."], ["role", "idea.role."], ["newRole", "role."]] as const) {
    const value = data[name];
    if (typeof value === "string" && isMessageKey(prefix + value)) vars[name] = t((prefix + value) as MessageKey);
  }
  return vars;
}
