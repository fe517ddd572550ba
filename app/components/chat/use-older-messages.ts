import { useEffect, useRef } from "react";
import type { ChatMessageView } from "~/modules/chat/chat-types";
import type { ChatOpened } from "~/realtime/events";
import type { ClientSocket } from "~/realtime/client";
import { emitWithAck } from "./chat-socket";

/**
 * The message list's scrolling: the newest message kept in view, and older
 * pages loaded above without moving what the reader was looking at.
 */
export function useOlderMessages({
  socket,
  opened,
  messages,
  pendingCount,
  more,
  setMore,
  merge,
}: {
  socket: ClientSocket | null;
  opened: ChatOpened | null;
  messages: ChatMessageView[];
  pendingCount: number;
  more: boolean;
  setMore: (more: boolean) => void;
  merge: (incoming: ChatMessageView[]) => void;
}) {
  const listRef = useRef<HTMLOListElement>(null);
  const topRef = useRef<HTMLLIElement>(null);
  const loadingOlder = useRef(false);

  // Keep the newest message in view when one arrives at the end; older pages
  // loaded above keep what the reader was looking at in place.
  const newestId = messages.at(-1)?.id;
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [newestId, pendingCount]);

  async function loadOlder() {
    if (!socket || !opened || !messages[0] || loadingOlder.current) return;
    loadingOlder.current = true;
    const list = listRef.current;
    const fromBottom = list ? list.scrollHeight - list.scrollTop : 0;
    try {
      const page = await emitWithAck<{ messages: ChatMessageView[]; more: boolean }>(socket, "chat:history", { conversationId: opened.conversation.id, before: messages[0].seq });
      if (page.ok) {
        merge(page.data.messages);
        setMore(page.data.more);
        // After React renders the older page, put the reader back where they were.
        requestAnimationFrame(() => {
          if (list) list.scrollTop = list.scrollHeight - fromBottom;
        });
      }
    } finally {
      loadingOlder.current = false;
    }
  }

  // Scrolling up to the top of the list loads the previous page (the button does the same for keyboards).
  useEffect(() => {
    const top = topRef.current;
    const list = listRef.current;
    if (!top || !list || !more || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      // Only once the reader scrolled: a short history that fits is left to the button.
      if (entries.some((e) => e.isIntersecting) && list.scrollHeight > list.clientHeight) void loadOlder();
    }, { root: list });
    observer.observe(top);
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [more, messages[0]?.id, opened]);

  return { listRef, topRef, loadOlder };
}
