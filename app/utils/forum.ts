import type { Locale } from "~/i18n/locales";

/** A category's name and description in the reader's language. */
export function localized<T extends { nameVi: string; nameEn: string; descriptionVi?: string; descriptionEn?: string }>(c: T, locale: Locale) {
  return {
    name: locale === "vi" ? c.nameVi : c.nameEn,
    description: locale === "vi" ? (c.descriptionVi ?? "") : (c.descriptionEn ?? ""),
  };
}

export { POSTS_PER_PAGE, pageStartFor, postLink } from "~/modules/forums/links";
