/**
 * The signed redirect every link in an announcement goes through: the click is recorded (once per
 * member and announcement), then the member goes on to the link. No log-in needed: mail is read
 * anywhere. Only addresses Rapport signed are followed, so this is no open redirect.
 */
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { recordAnnouncementClick } from "~/modules/announcements/delivery.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const actor = context.user ? { id: context.user.id, role: context.user.role } : null;
  const clicked = await recordAnnouncementClick(context.services, actor, { token }, { ip: context.ip });
  if (!clicked.ok) throw new Response("Not found", { status: 404 });
  throw redirect(clicked.url);
}
