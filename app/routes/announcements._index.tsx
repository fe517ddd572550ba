/** The member's archive of the announcements they were sent in the app, in their language. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { memberAnnouncements } from "~/modules/announcements/announcements.server";
import { requireUser } from "~/utils/auth.server";
import { useDates, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  return { items: await memberAnnouncements(context.services.db, user.id) };
}

export default function MyAnnouncements() {
  const t = useT();
  const dates = useDates();
  const { items } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>{t("memberAnnouncements.title")}</h1>
      {items.length ? (
        <ul className="plain-list stack">
          {items.map((item) => (
            <li key={item.id} className="card stack" lang={item.lang}>
              <h2>
                <Link to={`/announcements/${item.id}`}>{item.title}</Link>
              </h2>
              {item.sentAt ? <time className="muted small" dateTime={new Date(item.sentAt).toISOString()}>{dates.dateTime(item.sentAt)}</time> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("memberAnnouncements.none")}</p>
      )}
      <p>
        <Link to="/profile/privacy">{t("memberAnnouncements.topics")}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
