import { Link } from "@remix-run/react";
import { CategoryDot, StaffOnlyBadge } from "~/components/thread-list";
import { WatchControl } from "~/components/watch-control";
import { localized } from "~/utils/forum";
import { useLocale, useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";
import type { ThreadPageView } from "./use-thread-page";

/** The thread's category, title and the notices about its state (gone, locked, solved). */
export function ThreadHeader({ thread, gone, watchLevel, solvedPost }: Pick<ThreadPageView, "thread" | "gone" | "watchLevel" | "solvedPost">) {
  const t = useT();
  const category = localized(thread.category, useLocale());
  return (
    <>
      <p>
        <Link to={`/community/c/${thread.category.slug}`}>
          <CategoryDot color={thread.category.color} /> {category.name}
        </Link>
        {thread.category.readRole === "staff" ? <> <StaffOnlyBadge /></> : null}
      </p>
      <h1 id="thread-title">{thread.title}</h1>
      <FormError message={gone ? t(`forum.threadGone.${gone}`) : null} />
      {watchLevel ? <WatchControl level={watchLevel} label={t("forum.watch.label")} /> : null}
      {thread.lockedAt ? <p className="notice">{t("forum.lockedNotice")}</p> : null}
      {solvedPost ? (
        <p className="notice notice--success">
          <a href={`#post-${solvedPost.position}`}>{t("forum.solvedBy", { name: solvedPost.author.displayName || t("member.former") })}</a>
        </p>
      ) : null}
    </>
  );
}
