import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback } from "react";
import { Avatar } from "~/components/avatar";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listInbox } from "~/modules/chat/chat.server";
import { avatarUrl } from "~/modules/members/avatar.server";
import { useSocket, useSocketEvent } from "~/realtime/client";
import { requirePermission } from "~/utils/auth.server";
import { formatDate, useLocale, useT } from "~/utils/i18n";

export const meta: MetaFunction = () => [{ title: "Inbox · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const status = new URL(request.url).searchParams.get("status");
  const items = await listInbox(context.services.db, user, { status: status === "resolved" || status === "all" ? status : "open" });
  return { items: items.map(({ member: { avatarKey, ...member }, ...item }) => ({ ...item, member: { ...member, avatar: avatarUrl(avatarKey) } })) };
}

export default function InboxLayout() {
  const t = useT();
  const locale = useLocale();
  const { items } = useLoaderData<typeof loader>();
  const socket = useSocket(true);
  const revalidator = useRevalidator();
  // Live: any change to a conversation in this inbox refreshes the list.
  const refresh = useCallback(() => revalidator.revalidate(), [revalidator]);
  useSocketEvent(socket, "inbox:changed", refresh);
  return (
    <div className="inbox">
      <nav className="inbox__list card" aria-labelledby="inbox-title">
        <h1 id="inbox-title">{t("inbox.title")}</h1>
        {items.length === 0 ? <p className="muted">{t("inbox.empty")}</p> : null}
        <ul>
          {items.map((item) => (
            <li key={item.id}>
              <NavLink to={`/staff/inbox/${item.id}`} className="inbox__item">
                <Avatar name={item.member.displayName} url={item.member.avatar} size="sm" />
                <span className="inbox__text">
                  <strong>{item.member.displayName}</strong>
                  {item.unread ? (
                    <span className="badge badge--unread" aria-label={t("inbox.unread", { count: item.unread })}>
                      {item.unread}
                    </span>
                  ) : null}
                  <span className="muted small inbox__preview">{item.preview}</span>
                  <span className="muted small">
                    {item.waitingSince
                      ? t("inbox.waitingSince", { time: formatDate(locale, item.waitingSince, { timeStyle: "short" }) })
                      : formatDate(locale, item.lastMessageAt, { dateStyle: "short", timeStyle: "short" })}
                  </span>
                </span>
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="inbox__main">
        <Outlet />
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
