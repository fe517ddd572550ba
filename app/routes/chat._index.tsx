import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Avatar } from "~/components/avatar";
import { ChatPanel } from "~/components/chat-panel";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { avatarUrl } from "~/modules/members/avatar.server";
import { requireUser } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";

export const meta: MetaFunction = () => [{ title: "Chat · Rapport" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(context, request);
  // Staff answer from their inbox; this page is the member's own channel.
  if (user.role === "staff" || user.role === "admin") throw redirect("/staff/inbox");
  const me = await context.services.db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: { accountManager: { select: { id: true, displayName: true, avatarKey: true, contactHours: true } } },
  });
  const manager = me.accountManager;
  const online = manager ? await context.services.realtime.onlineUsers([manager.id]) : new Set<string>();
  return {
    viewerId: user.id,
    manager: manager
      ? { displayName: manager.displayName, avatar: avatarUrl(manager.avatarKey), contactHours: manager.contactHours, online: online.has(manager.id) }
      : null,
  };
}

export default function ChatPage() {
  const t = useT();
  const { viewerId, manager } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>{t("chat.title")}</h1>
      {manager ? (
        <header className="chat-manager card">
          <Avatar name={manager.displayName} url={manager.avatar} size="lg" />
          <div>
            <p className="muted">{t("chat.yourManager")}</p>
            <p>
              <strong>{manager.displayName}</strong>{" "}
              <span className={`presence presence--${manager.online ? "online" : "offline"}`}>{manager.online ? t("chat.online") : t("chat.offline")}</span>
            </p>
            {manager.contactHours ? <p className="muted">{t("chat.hours", { hours: manager.contactHours })}</p> : null}
            {!manager.online ? <p className="notice">{t("chat.offlineNotice")}</p> : null}
          </div>
        </header>
      ) : (
        <p className="notice">{t("chat.noManager")}</p>
      )}
      <ChatPanel viewerId={viewerId} staff={false} />
      <p className="muted small">
        <Link to="/profile">{t("chat.profileLink")}</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
