import { Link } from "@remix-run/react";
import { useT } from "~/utils/i18n";
import type { ThreadPageView } from "./use-thread-page";

/** Earlier and later pages of a long thread, with the range shown; nothing for a one-page thread. */
export function PageLinks({ page, shown }: { page: ThreadPageView["thread"]["page"]; shown: number }) {
  const t = useT();
  if (!page.previous && !page.next) return null;
  return (
    <nav className="toolbar" aria-label={t("forum.pages")}>
      {page.previous ? (
        <Link to={`?from=${page.previous}`} className="button">
          {t("forum.earlier")}
        </Link>
      ) : null}
      <span className="muted">{t("forum.pageRange", { from: page.from, to: Math.min(page.from + shown - 1, page.total), total: page.total })}</span>
      {page.next ? (
        <Link to={`?from=${page.next}`} className="button">
          {t("forum.later")}
        </Link>
      ) : null}
    </nav>
  );
}
