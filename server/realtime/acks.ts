/**
 * The socket adapter of the one failure type (app/modules/commands/failure.ts),
 * as app/utils/refusal.server.ts is the HTTP one: a command's result becomes
 * an ack, `{ ok: true, data }` or `{ ok: false, error, message }` with the
 * message in the socket user's language. For a refused field the field's own
 * message is the more useful one ("The message is empty.").
 */
import type { Failure, Ok } from "../../app/modules/commands/failure.ts";
import { isMessageKey, translator } from "../../app/i18n/translate.ts";
import { isLocale, DEFAULT_LOCALE, type Locale } from "../../app/i18n/locales.ts";
import type { MessageKey } from "../../app/i18n/en.ts";
import { refusalMessage } from "../../app/utils/refusal.server.ts";

export type FailureAck = { ok: false; error: string; message: string; retryAfterSeconds?: number; fieldErrors?: Record<string, string[]> };

export const localeOf = (value: unknown): Locale => (isLocale(value) ? value : DEFAULT_LOCALE);

export function failureAck(failure: Failure, locale: Locale): FailureAck {
  const fieldKey = failure.error === "invalid" && !failure.message ? Object.values(failure.fieldErrors ?? {}).flat()[0] : undefined;
  const message = fieldKey && isMessageKey(fieldKey) ? translator(locale)(fieldKey) : refusalMessage(failure, locale);
  return {
    ok: false,
    error: failure.error,
    message,
    ...(failure.retryAfterSeconds ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
    ...(failure.fieldErrors && Object.keys(failure.fieldErrors).length ? { fieldErrors: failure.fieldErrors } : {}),
  };
}

/** A refusal the socket layer makes itself (a payload that is not an object, a NUL, an outage). */
export function keyedAck(error: "invalid" | "internal" | "unavailable", key: MessageKey, locale: Locale): FailureAck {
  return { ok: false, error, message: translator(locale)(key) };
}

/** A command's result as an ack: its values (without `ok`) as `data`, or the localized refusal. */
export function ackOf<T extends object>(result: Ok<T> | Failure, locale: Locale): { ok: true; data: Omit<T, "ok"> } | FailureAck {
  if (!result.ok) return failureAck(result, locale);
  const { ok: _ok, ...data } = result as Ok<T> & Record<string, unknown>;
  return { ok: true, data: data as Omit<T, "ok"> };
}
