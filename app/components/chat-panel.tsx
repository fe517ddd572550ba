import { useT } from "~/utils/i18n";
import { ChatComposer } from "./chat/chat-composer";
import { ChatMessageList } from "./chat/chat-message-list";
import { ChatNotices, ChatStatus } from "./chat/chat-status";
import { useChatComposer, type CannedOption } from "./chat/use-chat-composer";
import { useChatConversation } from "./chat/use-chat-conversation";

export type { CannedOption };

/**
 * The conversation view used by members (/chat) and staff (/staff/inbox).
 * The delivery rules (client ids, resends, catch-up after a reconnect) live in
 * useChatConversation; this composes the parts.
 */
export function ChatPanel({
  conversationId,
  viewerId,
  staff,
  canned = [],
  compact = false,
}: {
  conversationId?: string;
  viewerId: string;
  staff: boolean;
  canned?: CannedOption[];
  compact?: boolean;
}) {
  const t = useT();
  const chat = useChatConversation({ conversationId, viewerId, staff });
  const composer = useChatComposer({ socket: chat.socket, opened: chat.opened, staff, canned, send: chat.send });

  return (
    <section className={`chat card${compact ? " chat--compact" : ""}`} aria-label={t("chat.conversation")}>
      <ChatNotices connected={chat.connected} error={chat.error} />
      {chat.more ? (
        <button type="button" className="button button--ghost" onClick={() => void chat.loadOlder()}>
          {t("chat.older")}
        </button>
      ) : null}
      <ChatMessageList
        days={chat.days}
        pending={chat.pending}
        more={chat.more}
        staff={staff}
        viewerId={viewerId}
        listRef={chat.listRef}
        topRef={chat.topRef}
        onRetry={(item) => void chat.retry(item)}
      />
      <ChatStatus typing={chat.typing} seen={chat.seen} />
      <ChatComposer composer={composer} staff={staff} canned={canned} canSend={!!chat.opened} />
    </section>
  );
}
