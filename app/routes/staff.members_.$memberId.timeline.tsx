import type { LoaderFunctionArgs } from "@remix-run/node";
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
