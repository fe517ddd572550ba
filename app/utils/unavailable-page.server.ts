/**
 * The page answered while the database is gone (server/http.ts before Remix, and
 * entry.server.tsx when a loader or action found it gone): plain HTML that needs nothing from
 * the database, in the visitor's language, with Retry-After so clients and crawlers come back.
 */
import { translator } from "~/i18n/translate";
import type { Locale } from "~/i18n/locales";
import { RETRY_AFTER_SECONDS } from "~/modules/availability/database-errors";

export function unavailableHeaders(): Record<string, string> {
  return { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store" };
}

export function unavailableHtml(locale: Locale, requestId: string) {
  const t = translator(locale);
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(t("unavailable.title"))}</title></head>
<body>
<main>
<h1>${escape(t("unavailable.title"))}</h1>
<p>${escape(t("unavailable.body"))}</p>
<p><a href="">${escape(t("unavailable.retry"))}</a></p>
<p>${escape(t("error.requestId", { id: requestId }))}</p>
</main>
</body>
</html>`;
}

export function unavailableResponse(locale: Locale, requestId: string) {
  return new Response(unavailableHtml(locale, requestId), {
    status: 503,
    headers: { ...unavailableHeaders(), "Content-Type": "text/html; charset=utf-8" },
  });
}
