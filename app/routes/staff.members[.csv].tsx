import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportMembersCsv, parseMemberFilter } from "~/modules/console/members.server";
import { requirePermission } from "~/utils/auth.server";

/** The member list's current filter as CSV (every page, up to CSV_MAX_ROWS rows). Audited. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const csv = await exportMembersCsv(context.services, user, parseMemberFilter(new URL(request.url).searchParams), { ip: context.ip });
  if (csv === null) throw new Response("Not found", { status: 404 });
  const day = context.services.clock.now().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rapport-members-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
