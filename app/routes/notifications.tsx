import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listNotifications, markAllNotificationsRead, markNotificationRead } from "~/modules/notifications/notifications.server";
import { renderNotification } from "~/i18n/notification-text";
import { refuse } from "~/utils/refusal.server";
import { requireUser } from "~/utils/auth.server";
import { useDates, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  const before = new URL(request.url).searchParams.get("before");
  const page = await listNotifications(context.services.db, user.id, { before, limit: 30 });
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((n) => ({
      id: n.id,
      text: renderNotification(context.locale, n.kind, n.data, context.timeZone),
      link: n.link,
      read: !!n.readAt,
      createdAt: n.createdAt,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const form = Object.fromEntries(await request.formData());
  const actor = { id: user.id, role: user.role };
  const done = await (form.intent === "read-all" ? markAllNotificationsRead : markNotificationRead)(context.services, actor, form, { ip: context.ip });
  return done.ok ? { ok: true } : refuse(done, context.locale, { ok: false });
}

export default function NotificationsPage() {
  const t = useT();
  const dates = useDates();
  const { items, nextCursor } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t("notifications.title")}</h1>
        {items.some((n) => !n.read) ? (
          <Form method="post">
            <button type="submit" name="intent" value="read-all" className="button">
              {t("notifications.markAllRead")}
            </button>
          </Form>
        ) : null}
      </div>
      {items.length === 0 ? <p>{t("notifications.empty")}</p> : null}
      <ul className="notifications">
        {items.map((n) => (
          <li key={n.id} className={n.read ? "notification" : "notification notification--unread"}>
            <div>
              {!n.read ? <span className="visually-hidden">{t("notifications.unread")}: </span> : null}
              {n.link ? <Link to={n.link}>{n.text}</Link> : n.text}
              <div className="muted">
                <time dateTime={new Date(n.createdAt).toISOString()}>
                  {dates.dateTime(n.createdAt)}
                </time>
              </div>
            </div>
            {!n.read ? (
              <Form method="post">
                <input type="hidden" name="id" value={n.id} />
                <button type="submit" className="button button--ghost">
                  {t("notifications.markRead")}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {nextCursor ? (
        <p>
          <Link to={`?before=${encodeURIComponent(nextCursor)}`}>{t("notifications.older")}</Link>
        </p>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
