import { useCallback, useEffect, useState } from "react";
import { Avatar } from "~/components/avatar";
import { replyTimeKey, type Presence } from "~/modules/chat/presence";
import { useSocket, useSocketEvent } from "~/realtime/client";
import { useT } from "~/utils/i18n";

export interface ManagerCardData {
  id: string;
  displayName: string;
  avatar: string | null;
  contactHours: string | null;
  presence: Presence;
  replySeconds: number | null;
}

/** The member's account manager with live presence, as the chat page and the launcher show them. */
export function ManagerCard({ manager, compact = false }: { manager: ManagerCardData | null; compact?: boolean }) {
  const t = useT();
  const socket = useSocket(true);
  const [presence, setPresence] = useState<Presence>(manager?.presence ?? "offline");
  useEffect(() => setPresence(manager?.presence ?? "offline"), [manager?.presence]);
  const onPresence = useCallback(
    (p: { managerId: string; presence: Presence }) => {
      if (p.managerId === manager?.id) setPresence(p.presence);
    },
    [manager?.id],
  );
  useSocketEvent(socket, "chat:presence", onPresence);
  if (!manager) return <p className="notice">{t("chat.noManager")}</p>;
  return (
    <header className={`chat-manager${compact ? "" : " card"}`}>
      <Avatar name={manager.displayName} url={manager.avatar} size={compact ? "md" : "lg"} />
      <div>
        {compact ? null : <p className="muted chat-manager__role">{t("chat.yourManager")}</p>}
        <p>
          <strong>{manager.displayName}</strong>{" "}
          <span className={`presence presence--${presence}`} data-testid="manager-presence">
            {t(presence === "online" ? "chat.online" : presence === "away" ? "chat.away" : "chat.offline")}
          </span>
        </p>
        {manager.replySeconds !== null ? <p className="muted small">{t(replyTimeKey(manager.replySeconds))}</p> : null}
        {manager.contactHours && !compact ? <p className="muted small">{t("chat.hours", { hours: manager.contactHours })}</p> : null}
        {presence === "offline" ? <p className="notice small">{t("chat.offlineNotice")}</p> : null}
        {presence === "away" ? <p className="notice small">{t("chat.awayNotice")}</p> : null}
      </div>
    </header>
  );
}
