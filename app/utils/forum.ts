import type { Locale } from "~/i18n/locales";

/** A category's name and description in the reader's language. */
export function localized<T extends { nameVi: string; nameEn: string; descriptionVi?: string; descriptionEn?: string }>(c: T, locale: Locale) {
  return {
    name: locale === "vi" ? c.nameVi : c.nameEn,
    description: locale === "vi" ? (c.descriptionVi ?? "") : (c.descriptionEn ?? ""),
  };
}

/** Posts per page: a 500-reply thread is read in pages, never rendered at once. */
export const POSTS_PER_PAGE = 50;

/** The page (first position) that holds a given post. */
export function pageStartFor(position: number) {
  return Math.floor((Math.max(position, 1) - 1) / POSTS_PER_PAGE) * POSTS_PER_PAGE + 1;
}

/** A link that opens the page holding the post and scrolls to it. */
export function postLink(threadId: string, position: number) {
  const from = pageStartFor(position);
  return `/community/t/${threadId}${from > 1 ? `?from=${from}` : ""}#post-${position}`;
}
