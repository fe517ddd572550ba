/** GET /profile/export: everything we hold about the member, as a JSON attachment. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportMemberData } from "~/modules/members/my-data.server";
import { requireUser } from "~/utils/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  const result = await exportMemberData(context.services, { id: user.id, role: user.role }, user.id, { ip: context.ip });
  if (!result.ok) {
    return new Response(`Too many exports. Try again in ${result.retryAfterSeconds} seconds.`, {
      status: 429,
      headers: { "Retry-After": String(result.retryAfterSeconds), "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return new Response(JSON.stringify(result.data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${result.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
