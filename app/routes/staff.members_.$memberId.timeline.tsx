import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useParams, useSearchParams } from "@remix-run/react";
import { TimelineList } from "~/components/timeline";
import { useT } from "~/utils/i18n";
import { MemberNotFound } from "~/modules/console/access.server";
import { timelinePage } from "~/modules/console/member-page.server";
import { isTimelineGroup } from "~/modules/console/timeline-groups";
import { requirePermission } from "~/utils/auth.server";

/** Older (or, without `before`, the newest) touchpoints of a member, for the console's infinite scroll and live updates. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const url = new URL(request.url);
  const group = url.searchParams.get("group");
  try {
    return await timelinePage(context.services, { id: user.id, role: user.role }, params.memberId ?? "", {
      group: isTimelineGroup(group) ? group : undefined,
      before: url.searchParams.get("before"),
    });
  } catch (error) {
    if (error instanceof MemberNotFound) throw new Response("Not found", { status: 404 });
    throw error;
  }
}

/**
 * A page of its own too: without JavaScript "Older touchpoints" lands here,
 * and being a UI route keeps the member page's fetchers revalidating after
 * its forms are sent (a fetcher on a resource route fails to revalidate
 * with "No route matches").
 */
export default function TimelinePageRoute() {
  const t = useT();
  const { items, nextCursor } = useLoaderData<typeof loader>();
  const { memberId } = useParams();
  const [params] = useSearchParams();
  const next = new URLSearchParams(params);
  if (nextCursor) next.set("before", nextCursor);
  return (
    <div className="stack">
      <p>
        <Link to={`/staff/members/${memberId}`}>← {t("staff.timeline")}</Link>
      </p>
      <h1>{t("staff.timeline")}</h1>
      <TimelineList items={items} t={t} />
      {nextCursor ? <Link to={`?${next}`}>{t("crm.timeline.older")}</Link> : null}
    </div>
  );
}
