import type { ForumFailure } from "~/modules/forums/forums.server";
import { translator } from "~/i18n/translate";
import type { Locale } from "~/i18n/locales";

/** A refused post as field errors and a form message, in the writer's language; their text is kept. */
export function forumFailureToReply(
  failure: ForumFailure,
  locale: Locale,
): { fieldErrors: Record<string, string[] | undefined>; formError: string | null; status: number } {
  const t = translator(locale);
  switch (failure.error) {
    case "invalid":
      return { fieldErrors: failure.fieldErrors, formError: null, status: 400 };
    case "rateLimited":
      return { fieldErrors: {}, formError: t("forum.rateLimited", { seconds: failure.retryAfterSeconds }), status: 429 };
    case "duplicate":
      return { fieldErrors: {}, formError: t("forum.duplicate"), status: 409 };
    case "locked":
      return { fieldErrors: {}, formError: t("forum.lockedNotice"), status: 403 };
    case "notAllowed":
      return { fieldErrors: {}, formError: t("forum.notAllowed"), status: 403 };
    case "notFound":
      return { fieldErrors: {}, formError: t("error.404.title"), status: 404 };
  }
}
