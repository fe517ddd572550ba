import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CategoryDot, StaffOnlyBadge, ThreadList } from "~/components/thread-list";
import { listCategories, listThreads } from "~/modules/forums/forums.server";
import { localized } from "~/utils/forum";
import { unreadCounts } from "~/modules/forums/reading.server";
import { useLocale, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const before = new URL(request.url).searchParams.get("before");
  const [categories, latest] = await Promise.all([
    listCategories(context.services.db, context.user),
    listThreads(context.services.db, context.user, { before, limit: 20 }),
  ]);
  const unread = context.user ? await unreadCounts(context.services.db, context.user.id, latest.items) : {};
  return { categories, latest, loggedIn: !!context.user, unread };
}

export default function CommunityPage() {
  const t = useT();
  const locale = useLocale();
  const { categories, latest, loggedIn, unread } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("forum.title")}</h1>
          <p className="muted">{t("forum.intro")}</p>
        </div>
        {loggedIn ? (
          <Link to="/community/new" className="button button--primary">
            {t("forum.newThread")}
          </Link>
        ) : null}
      </div>
      <section aria-labelledby="cats-title">
        <h2 id="cats-title">{t("forum.categories")}</h2>
        <ul className="categories">
          {categories.map((c) => {
            const text = localized(c, locale);
            return (
              <li key={c.id} className="card category-card">
                <Link to={`/community/c/${c.slug}`} className="category-card__name">
                  <CategoryDot color={c.color} /> {text.name}
                </Link>
                {c.readRole === "staff" ? <StaffOnlyBadge /> : null}
                <p className="muted">{text.description}</p>
                <p className="muted">{t("forum.threads", { count: c.threadCount })}</p>
              </li>
            );
          })}
        </ul>
      </section>
      <section aria-labelledby="latest-title">
        <h2 id="latest-title">{t("forum.latest")}</h2>
        {latest.items.length ? <ThreadList threads={latest.items} unread={unread} /> : <p>{t("forum.noThreads")}</p>}
        {latest.nextCursor ? (
          <p>
            <Link to={`?before=${encodeURIComponent(latest.nextCursor)}`}>{t("forum.older")}</Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
