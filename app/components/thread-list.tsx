import { Link } from "@remix-run/react";
import { useDates, useLocale, useT } from "~/utils/i18n";
import { localized, postLink } from "~/utils/forum";

export interface ThreadRow {
  id: string;
  title: string;
  replyCount: number;
  lastPostAt: string | Date;
  pinnedAt: string | Date | null;
  lockedAt: string | Date | null;
  solvedPostId: string | null;
  author: { displayName: string; deletedAt: string | Date | null };
  category: { slug: string; nameVi: string; nameEn: string; color: string; readRole?: "everyone" | "staff" };
}

/** The category's colour as an SVG fill: an attribute, which the CSP allows (inline styles it does not). */
export function CategoryDot({ color }: { color: string }) {
  return (
    <svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12" className="cat-dot">
      <circle cx="6" cy="6" r="6" fill={/^#[0-9a-f]{6}$/i.test(color) ? color : "#0f5c4d"} />
    </svg>
  );
}

/** A lock and "Staff only": shown to staff on what members cannot see (a staff-only category). */
export function StaffOnlyBadge() {
  const t = useT();
  return (
    <span className="badge badge--staff">
      <svg aria-hidden="true" width="10" height="12" viewBox="0 0 10 12" className="lock-icon">
        <path d="M2 5V3.5a3 3 0 0 1 6 0V5h1v7H1V5h1Zm1.5 0h3V3.5a1.5 1.5 0 0 0-3 0V5Z" fill="currentColor" />
      </svg>{" "}
      {t("forum.readStaffOnly")}
    </span>
  );
}

/** Opens at the first unread post, on the page that holds it. */
function unreadLink(thread: ThreadRow, unread: number | null | undefined) {
  if (!unread) return `/community/t/${thread.id}`;
  return postLink(thread.id, thread.replyCount + 2 - unread);
}

export function ThreadList({
  threads,
  showCategory = true,
  unread = {},
}: {
  threads: ThreadRow[];
  showCategory?: boolean;
  /** New posts per thread for this reader; null when never opened. */
  unread?: Record<string, number | null>;
}) {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  return (
    <ul className="threads">
      {threads.map((thread) => (
        <li key={thread.id} className="thread-row">
          <div className="thread-row__main">
            <Link
              to={unreadLink(thread, unread[thread.id])}
              className={`thread-row__title${unread[thread.id] ? " thread-row__title--unread" : ""}`}
            >
              {thread.title}
            </Link>
            {unread[thread.id] ? (
              <span className="badge badge--unread" aria-label={t("forum.unreadNamed", { count: unread[thread.id]! })}>
                {t("forum.unread", { count: unread[thread.id]! })}
              </span>
            ) : null}
            <div className="thread-row__meta muted">
              {thread.pinnedAt ? <span className="badge">{t("forum.pinned")}</span> : null}
              {thread.lockedAt ? <span className="badge">{t("forum.locked")}</span> : null}
              {thread.solvedPostId ? <span className="badge badge--member">{t("forum.solved")}</span> : null}
              {showCategory ? (
                <Link to={`/community/c/${thread.category.slug}`} className="thread-row__cat">
                  <CategoryDot color={thread.category.color} /> {localized(thread.category, locale).name}
                </Link>
              ) : null}
              {showCategory && thread.category.readRole === "staff" ? <StaffOnlyBadge /> : null}
              <span>{t("forum.by", { name: thread.author.deletedAt ? t("member.former") : thread.author.displayName })}</span>
            </div>
          </div>
          <div className="thread-row__stats muted">
            <span>{t("forum.replies", { count: thread.replyCount })}</span>
            <time dateTime={new Date(thread.lastPostAt).toISOString()}>
              {t("forum.lastActivity", { date: dates.dateTime(thread.lastPostAt) })}
            </time>
          </div>
        </li>
      ))}
    </ul>
  );
}
