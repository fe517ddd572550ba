/** One announcement a member was sent. Opening it is recorded once (a touchpoint for their manager). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { markAnnouncementOpened, memberAnnouncement } from "~/modules/announcements/announcements.server";
import { requireUser } from "~/utils/auth.server";
import { useDates, useT } from "~/utils/i18n";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  const item = await memberAnnouncement(context.services.db, user.id, params.announcementId ?? "", context.services.secrets.app);
  if (!item) throw new Response("Not found", { status: 404 });
  // Only the signed-in recipient's own copy, once: a link scanner has no session and records nothing.
  await markAnnouncementOpened(context.services, { id: user.id, role: user.role }, { announcementId: item.id }, { ip: context.ip });
  return { item };
}

export default function AnnouncementCard() {
  const t = useT();
  const dates = useDates();
  const { item } = useLoaderData<typeof loader>();
  return (
    <article className="stack narrow" lang={item.lang}>
      <p>
        <Link to="/announcements">{t("memberAnnouncements.back")}</Link>
      </p>
      <h1>{item.title}</h1>
      {item.sentAt ? <time className="muted small" dateTime={new Date(item.sentAt).toISOString()}>{dates.dateTime(item.sentAt)}</time> : null}
      {/* Safe: rendered by the server's markdown renderer (html: false), variables escaped. */}
      <div className="prose card" dangerouslySetInnerHTML={{ __html: item.html }} />
    </article>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
