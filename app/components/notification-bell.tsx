import { Link } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { useSocket, useSocketEvent } from "~/realtime/client";
import { useT } from "~/utils/i18n";

/** The bell with its unread count, kept live over socket.io. */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const t = useT();
  const [unread, setUnread] = useState(initialUnread);
  useEffect(() => setUnread(initialUnread), [initialUnread]);
  const socket = useSocket(true);
  const onCount = useCallback((payload: { unread: number }) => setUnread(payload.unread), []);
  useSocketEvent(socket, "notification:count", onCount);
  return (
    <Link to="/notifications" className="bell button button--ghost" aria-label={t("notifications.bell", { count: unread })}>
      <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.73 21a2 2 0 0 1-3.46 0" />
      </svg>
      {unread > 0 ? (
        <span className="bell__count" data-testid="unread-count">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
