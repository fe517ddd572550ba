import { Link, useFetcher, useLocation } from "@remix-run/react";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { loader as chatLoader } from "~/routes/chat._index";
import { useSocket, useSocketEvent } from "~/realtime/client";
import { useT } from "~/utils/i18n";
import { ChatPanel } from "./chat-panel";
import { ManagerCard } from "./chat-manager-card";

/**
 * The member's way into their chat from every page: a button with the
 * unread count (kept live), opening the conversation in a small panel. Not
 * shown on /chat itself, where the full conversation already is.
 */
export function ChatLauncher({ initialUnread }: { initialUnread: number }) {
  const t = useT();
  const id = useId();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const unread = useChatUnread(initialUnread);
  const fetcher = useFetcher<typeof chatLoader>();
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    // Loaded on first open only: the panel keeps itself current over the socket.
    if (open && fetcher.state === "idle" && !fetcher.data) fetcher.load("/chat");
  }, [open, fetcher]);

  const close = useCallback(() => {
    setOpen(false);
    buttonRef.current?.focus();
  }, []);

  if (location.pathname === "/chat") return null;
  const label = unread ? t("chat.launcherUnread", { count: unread }) : t("chat.launcher");
  return (
    <div className="launcher">
      {open ? (
        <div
          id={`${id}-panel`}
          className="launcher__panel card"
          role="dialog"
          aria-modal="false"
          aria-label={t("chat.launcher")}
          onKeyDown={(e) => {
            if (e.key === "Escape") close();
          }}
        >
          <div className="launcher__head">
            {fetcher.data ? <ManagerCard manager={fetcher.data.manager} compact /> : <p className="muted">{t("chat.loading")}</p>}
            <button type="button" className="button button--ghost" onClick={close} aria-label={t("chat.launcherClose")}>
              ×
            </button>
          </div>
          {fetcher.data ? <ChatPanel viewerId={fetcher.data.viewerId} staff={false} compact /> : null}
          <p className="small">
            <Link to="/chat">{t("chat.openFull")}</Link>
          </p>
        </div>
      ) : null}
      <button
        ref={buttonRef}
        type="button"
        className="launcher__button button button--primary"
        aria-expanded={open}
        aria-controls={open ? `${id}-panel` : undefined}
        aria-label={label}
        onClick={() => (open ? close() : setOpen(true))}
      >
        <ChatIcon unread={unread} size={22} testId="chat-unread" />
      </button>
    </div>
  );
}

/** The member's unread chat messages, kept live. */
function useChatUnread(initialUnread: number) {
  const socket = useSocket(true);
  const [unread, setUnread] = useState(initialUnread);
  useEffect(() => setUnread(initialUnread), [initialUnread]);
  useSocketEvent(
    socket,
    "chat:unread",
    useCallback((p: { unread: number }) => setUnread(p.unread), []),
  );
  return unread;
}

function ChatIcon({ unread, size, testId }: { unread: number; size: number; testId: string }) {
  return (
    <>
      <svg aria-hidden="true" viewBox="0 0 24 24" width={size} height={size} fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z" />
      </svg>
      {unread > 0 ? (
        <span className="bell__count" data-testid={testId}>
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </>
  );
}

/**
 * The same way in on a phone, where a floating button would cover what the
 * member reads: a link to the chat page beside the bell (styles decide which
 * of the two shows).
 */
export function ChatLink({ initialUnread }: { initialUnread: number }) {
  const t = useT();
  const unread = useChatUnread(initialUnread);
  return (
    <Link to="/chat" className="chat-link bell button button--ghost" aria-label={unread ? t("chat.launcherUnread", { count: unread }) : t("chat.launcher")}>
      <ChatIcon unread={unread} size={20} testId="chat-link-unread" />
    </Link>
  );
}
