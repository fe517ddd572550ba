import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { Avatar } from "~/components/avatar";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listInbox } from "~/modules/chat/chat.server";
import { managersCoveredBy } from "~/modules/presence/coverage.server";
import { avatarUrl } from "~/modules/members/avatar.server";
import { useSocket, useSocketEvent } from "~/realtime/client";
import { requirePermission } from "~/utils/auth.server";
import { useDates, useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";

export const meta: MetaFunction = () => [{ title: "Inbox · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requirePermission(context, request, "console:access:any");
  const status = new URL(request.url).searchParams.get("status");
  const [items, covering, me] = await Promise.all([
    listInbox(context.services, user, { status: status === "resolved" || status === "all" ? status : "open" }),
    managersCoveredBy(context.services, user),
    context.services.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { awaySince: true } }),
  ]);
  return {
    away: !!me.awaySince,
    covering: covering.map((m) => m.displayName),
    items: items.map(({ member: { avatarKey, ...member }, ...item }) => ({ ...item, member: { ...member, avatar: avatarUrl(avatarKey) } })) };
}

export default function InboxLayout() {
  const t = useT();
  const dates = useDates();
  const { items, away, covering } = useLoaderData<typeof loader>();
  const socket = useSocket(true);
  const revalidator = useRevalidator();
  const [awayError, setAwayError] = useState<string | null>(null);
  // Live: any change to a conversation in this inbox refreshes the list.
  const refresh = useCallback(() => revalidator.revalidate(), [revalidator]);
  useSocketEvent(socket, "inbox:changed", refresh);
  // Changes while the socket was not yet (or no longer) connected were not announced: catch up on every connect.
  useEffect(() => {
    if (!socket) return;
    socket.on("connect", refresh);
    if (socket.connected) refresh();
    return () => {
      socket.off("connect", refresh);
    };
  }, [socket, refresh]);
  function toggleAway() {
    if (!socket) return;
    socket.timeout(10_000).emit("chat:away", { away: !away }, (err, result) => {
      if (err) return setAwayError(t("chat.error.timeout"));
      if (!result.ok) return setAwayError(result.message);
      setAwayError(null);
      revalidator.revalidate();
    });
  }
  return (
    <div className="inbox">
      <nav className="inbox__list card" aria-labelledby="inbox-title">
        <h1 id="inbox-title">{t("inbox.title")}</h1>
        <div className="actions">
          <span className={`presence presence--${away ? "away" : "online"}`}>{away ? t("chat.away") : t("chat.online")}</span>
          <button type="button" className="button button--ghost" aria-pressed={away} onClick={toggleAway} disabled={!socket}>
            {t("inbox.markAway")}
          </button>
        </div>
        <FormError message={awayError} />
        <p className="muted small">{away ? t("inbox.awayHint") : null}</p>
        <p className="small">
          <Link to="/staff/canned-replies">{t("canned.manage")}</Link>
        </p>
        {covering.length ? <p className="notice small">{t("inbox.coveringFor", { names: covering.join(", ") })}</p> : null}
        {items.length === 0 ? <p className="muted">{t("inbox.empty")}</p> : null}
        <ul>
          {items.map((item) => (
            <li key={item.id}>
              <NavLink to={`/staff/inbox/${item.id}`} className="inbox__item">
                <Avatar name={item.member.displayName} url={item.member.avatar} size="sm" />
                <span className="inbox__text">
                  <strong>{item.member.displayName}</strong>
                  {item.coveringFor ? <span className="badge">{t("inbox.coverBadge", { name: item.coveringFor })}</span> : null}
                  {item.unread ? (
                    <span className="badge badge--unread" aria-label={t("inbox.unread", { count: item.unread })}>
                      {item.unread}
                    </span>
                  ) : null}
                  <span className="muted small inbox__preview">{item.preview}</span>
                  <span className="muted small">
                    {item.waitingSince
                      ? t("inbox.waitingSince", { time: dates.time(item.waitingSince) })
                      : dates.dateTime(item.lastMessageAt)}
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
