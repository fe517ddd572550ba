import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { TimelineList } from "~/components/timeline";
import { STAFF_ONLY_TOUCHPOINT_KINDS, listTimeline } from "~/modules/timeline/touchpoints.server";
import { requireUser } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  const before = new URL(request.url).searchParams.get("before");
  const page = await listTimeline(context.services.db, user.id, { before, limit: 30, excludeKinds: STAFF_ONLY_TOUCHPOINT_KINDS });
  return { ...page, selfId: user.id };
}

export default function MyActivity() {
  const t = useT();
  const { items, nextCursor, selfId } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>{t("profile.activity")}</h1>
      <p className="muted">{t("profile.activityIntro")}</p>
      {items.length === 0 ? <p>{t("profile.activityEmpty")}</p> : <TimelineList items={items} t={t} selfId={selfId} />}
      {nextCursor ? (
        <p>
          <Link to={`?before=${encodeURIComponent(nextCursor)}`} className="button">
            {t("profile.loadMore")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
