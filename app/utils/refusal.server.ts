/**
 * The HTTP adapter of the one failure type (app/modules/commands/failure.ts):
 * a refused command becomes the action's data with the reason's status, its
 * field errors (message keys, localized by the form) and one form message in
 * the reader's language. Routes never map reasons to statuses themselves;
 * the socket adapter is server/realtime/acks.ts.
 */
import { data } from "@remix-run/node";
import { messageOf, statusOf, type Failure, type FieldErrors, type Reason } from "~/modules/commands/failure";
import { isMessageKey, translator } from "~/i18n/translate";
import type { Locale } from "~/i18n/locales";

export interface Refusal {
  ok: false;
  error: Reason;
  fieldErrors: FieldErrors;
  /** Shown above the form; null when the field errors say it all. */
  formError: string | null;
}

export interface RefusalOptions {
  /**
   * Where this page keeps its own wording of a reason: `<prefix>.<reason>`
   * is used when the catalogue has it ("idea.error" gives "idea.error.closed"),
   * else the reason's default `failure.<reason>`.
   */
  messages?: string;
}

/** The failure's message in `locale`: the command's own key, the page's wording, or the reason's default. */
export function refusalMessage(failure: Failure, locale: Locale, options: RefusalOptions = {}) {
  const t = translator(locale);
  const { key, vars } = messageOf(failure);
  const pageKey = !failure.message && options.messages ? `${options.messages}.${failure.error}` : null;
  const chosen = pageKey && isMessageKey(pageKey) ? pageKey : key;
  return isMessageKey(chosen) ? t(chosen, vars) : chosen;
}

export function toRefusal(failure: Failure, locale: Locale, options: RefusalOptions = {}): Refusal {
  return {
    ok: false,
    error: failure.error,
    fieldErrors: failure.fieldErrors ?? {},
    formError: failure.error === "invalid" && !failure.message ? null : refusalMessage(failure, locale, options),
  };
}

/** The action's answer to a refused command: `extra` (what the page needs to re-show the form) plus the refusal. */
export function refuse<T extends object>(failure: Failure, locale: Locale, extra: T, options: RefusalOptions = {}) {
  const headers: Record<string, string> = failure.retryAfterSeconds ? { "Retry-After": String(failure.retryAfterSeconds) } : {};
  return data({ ...extra, ...toRefusal(failure, locale, options) }, { status: statusOf(failure), headers });
}

/** For loaders: a refusal is an error page with the reason's status (a 404 reads as not found). */
export function refusalResponse(failure: Failure, locale: Locale) {
  return new Response(refusalMessage(failure, locale), { status: statusOf(failure), headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
