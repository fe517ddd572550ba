/** A notification's stored kind and data, written in the reader's language (the bell and its email). */
import { isMessageKey, translator } from "./translate";
import type { MessageKey } from "./en";
import { DEFAULT_LOCALE, isLocale } from "./locales";
import { localizeStoredVars } from "./stored-vars";
import { dateFormat } from "./dates";
import { FALLBACK_TIME_ZONE, usableTimeZone } from "~/modules/calendar";

/** The localized text of a notification, for the bell and for email, with dates in the reader's zone. */
export function renderNotification(locale: string, kind: string, data: unknown, timeZone = FALLBACK_TIME_ZONE) {
  const lang = isLocale(locale) ? locale : DEFAULT_LOCALE;
  const t = translator(lang);
  const stored = (data && typeof data === "object" ? data : {}) as Record<string, string | number>;
  const vars = localizeStoredVars(t, dateFormat(lang, usableTimeZone(timeZone)), stored, Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, String(v)])));
  // One kind may say different things (a suspension and its lifting): data.variant picks the text.
  const variant = typeof stored.variant === "string" ? `notification.${kind}.${stored.variant}` : "";
  const key = (variant && isMessageKey(variant) ? variant : `notification.${kind}`) as MessageKey;
  return t(key, vars);
}
