/**
 * The words of a mail in its reader's language. The catalogues are the edge's (app/i18n), so the
 * mail-sending outbox handlers receive this port from the composition root (server/services.ts
 * wires app/i18n/mail-texts.ts in): the module still chooses the message keys, the edge writes them.
 */
import type { MessageKey } from "~/i18n/en";
import type { Locale } from "../locales";

export interface MailTexts {
  /** One message of the catalogue, its placeholders filled. */
  message(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string;
  /** A notification's one line, as the bell shows it, with dates in the reader's zone. */
  notification(locale: string, kind: string, data: unknown, timeZone?: string): string;
}
