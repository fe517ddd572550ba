import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { setCategoryWatch, watchLevelOf } from "~/modules/forums/watching.server";
import { WatchControl } from "~/components/watch-control";
import { can } from "~/modules/policy/can";
import { refuse } from "~/utils/refusal.server";
import { requireUser } from "~/utils/auth.server";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CategoryDot, StaffOnlyBadge, ThreadList } from "~/components/thread-list";
import { getCategoryBySlug, listThreads } from "~/modules/forums/forums.server";
import { localized } from "~/utils/forum";
import { unreadCounts } from "~/modules/forums/reading.server";
import { useLocale, useT } from "~/utils/i18n";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // A category the viewer may not read is a 404, as if it did not exist.
  const category = await getCategoryBySlug(context.services.db, context.user, params.slug ?? "");
  if (!category) throw new Response("Not found", { status: 404 });
  const before = new URL(request.url).searchParams.get("before");
  const threads = await listThreads(context.services.db, context.user, { categoryId: category.id, before, limit: 25 });
  const canPost = can(context.user, "forumCategory.post", category);
  const watchLevel = context.user ? await watchLevelOf(context.services.db, context.user.id, { categoryId: category.id }) : null;
  const unread = context.user ? await unreadCounts(context.services.db, context.user.id, threads.items) : {};
  return { category, threads, canPost, loggedIn: !!context.user, watchLevel, unread };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  // Not found before "log in": a visitor learns nothing about a staff-only category.
  const category = await getCategoryBySlug(context.services.db, context.user, params.slug ?? "");
  if (!category) throw new Response("Not found", { status: 404 });
  const { user } = requireUser(context, request);
  const form = Object.fromEntries(await request.formData());
  const result = await setCategoryWatch(context.services, { id: user.id, role: user.role }, { level: form.level, categoryId: category.id });
  if (!result.ok) return refuse(result, context.locale, { ok: false as const });
  return { ok: true as const };
}

export default function CategoryPage() {
  const t = useT();
  const locale = useLocale();
  const { category, threads, canPost, loggedIn, watchLevel, unread } = useLoaderData<typeof loader>();
  const text = localized(category, locale);
  return (
    <div className="stack">
      <p>
        <Link to="/community">← {t("forum.title")}</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>
            <CategoryDot color={category.color} /> {text.name}
          </h1>
          {category.readRole === "staff" ? <StaffOnlyBadge /> : null}
          <p className="muted">{text.description}</p>
        </div>
        {canPost ? (
          <Link to={`/community/new?category=${category.id}`} className="button button--primary">
            {t("forum.newThread")}
          </Link>
        ) : loggedIn && category.postingRole === "staff" ? (
          <p className="muted">{t("forum.staffOnly")}</p>
        ) : null}
      </div>
      {watchLevel ? <WatchControl level={watchLevel} label={t("forum.watch.categoryLabel")} /> : null}
      {threads.items.length ? <ThreadList threads={threads.items} showCategory={false} unread={unread} /> : <p>{t("forum.noThreads")}</p>}
      {threads.nextCursor ? (
        <p>
          <Link to={`?before=${encodeURIComponent(threads.nextCursor)}`}>{t("forum.older")}</Link>
        </p>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
