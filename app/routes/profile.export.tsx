/** GET /profile/export: everything we hold about the member, as a JSON attachment. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportMemberData } from "~/modules/members/my-data.server";
import { requireUser } from "~/utils/auth.server";
import { refusalResponse } from "~/utils/refusal.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  const result = await exportMemberData(context.services, { id: user.id, role: user.role }, { memberId: user.id }, { ip: context.ip });
  if (!result.ok) {
    const response = refusalResponse(result, context.locale);
    if (result.retryAfterSeconds) response.headers.set("Retry-After", String(result.retryAfterSeconds));
    return response;
  }
  return new Response(JSON.stringify(result.data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${result.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
