import { Link } from "@remix-run/react";
import { useT } from "~/utils/i18n";

/** "Earlier · Page 2 of 5 · Later" for page-numbered lists; nothing when there is one page. */
export function Pager({ page, pages, hrefFor, label }: { page: number; pages: number; hrefFor: (page: number) => string; label: string }) {
  const t = useT();
  if (pages <= 1) return null;
  return (
    <nav className="toolbar" aria-label={label}>
      {page > 1 ? (
        <Link className="button" to={hrefFor(page - 1)}>
          {t("forum.earlier")}
        </Link>
      ) : null}
      <span className="muted">{t("review.pageOf", { page, pages })}</span>
      {page < pages ? (
        <Link className="button" to={hrefFor(page + 1)}>
          {t("forum.later")}
        </Link>
      ) : null}
    </nav>
  );
}
