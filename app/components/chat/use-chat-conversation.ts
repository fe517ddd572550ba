import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ChatMessageView } from "~/modules/chat/chat-types";
import { catchUpTracker } from "~/modules/chat/catch-up";
import type { ChatOpened } from "~/realtime/events";
import { useSocket } from "~/realtime/client";
import { useDates, useT } from "~/utils/i18n";
import { groupByDay } from "~/utils/chat-days";
import { emitWithAck, newClientId, type Pending } from "./chat-socket";
import { useOlderMessages } from "./use-older-messages";

/** Automatic resends of a message the server could not take (restarting, unreachable); the same client id each time. */
const AUTO_RESENDS = 5;

/**
 * One conversation as the browser holds it (docs/decisions/007-chat-delivery.md).
 * Messages are sent with a client id and kept as "sending" until the server
 * acknowledges them; a failed send is kept with a retry button, so nothing
 * typed is lost. On every (re)connect it re-opens the conversation and
 * fetches what came after the last message it has.
 */
export function useChatConversation({ conversationId, viewerId, staff }: { conversationId?: string; viewerId: string; staff: boolean }) {
  const t = useT();
  const { timeZone } = useDates();
  const socket = useSocket(true);
  const [opened, setOpened] = useState<ChatOpened | null>(null);
  const [messages, setMessages] = useState<ChatMessageView[]>([]);
  const [more, setMore] = useState(false);
  const [pending, setPending] = useState<Pending[]>([]);
  const [typing, setTyping] = useState<string | null>(null);
  const [theirRead, setTheirRead] = useState<{ seq: number; at: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [connected, setConnected] = useState(true);
  const lastSeq = useRef(0);
  // Where to resume after a reconnect: not the highest seq seen (see catch-up.ts).
  const tracker = useRef(catchUpTracker());
  const openedOnce = useRef(false);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>();

  /** Adds messages; `through` says the server vouched that nothing up to that seq is missing. */
  const merge = useCallback((incoming: ChatMessageView[], through = 0) => {
    tracker.current.add(incoming.map((m) => m.seq), through);
    setMessages((current) => {
      const bySeq = new Map(current.map((m) => [m.id, m]));
      for (const m of incoming) bySeq.set(m.id, m);
      const all = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
      lastSeq.current = Math.max(lastSeq.current, ...all.map((m) => m.seq), 0);
      return all;
    });
    // A stored message replaces its "sending" copy.
    setPending((current) => current.filter((p) => !incoming.some((m) => m.clientId === p.clientId)));
  }, []);

  const markRead = useCallback(
    (id: string, seq: number) => {
      if (socket && document.visibilityState === "visible") void emitWithAck(socket, "chat:read", { conversationId: id, seq });
    },
    [socket],
  );

  // Open (and re-open after every reconnect), then catch up from the last seq we hold.
  useEffect(() => {
    if (!socket) return;
    let cancelled = false;
    async function openAndCatchUp() {
      const result = await emitWithAck<ChatOpened>(socket!, "chat:open", conversationId ? { conversationId } : {});
      if (cancelled) return;
      if (!result.ok) return setError(result.message || t("chat.error.generic"));
      setError(null);
      setOpened(result.data);
      const id = result.data.conversation.id;
      if (!openedOnce.current) {
        openedOnce.current = true;
        // The latest page holds everything up to the lastSeq read before it.
        merge(result.data.messages, result.data.conversation.lastSeq);
        setMore(result.data.more);
      } else {
        for (;;) {
          const page = await emitWithAck<{ messages: ChatMessageView[]; more: boolean }>(socket!, "chat:history", { conversationId: id, after: tracker.current.resumeAfter, limit: 200 });
          if (!page.ok || cancelled) break;
          // A page "after N" holds every message after N up to its last one.
          merge(page.data.messages, Math.max(0, ...page.data.messages.map((m) => m.seq)));
          if (!page.data.more) break;
        }
      }
      setTheirRead(staff ? result.data.reads.member : result.data.reads.staff);
      markRead(id, result.data.conversation.lastSeq);
    }
    const onConnect = () => {
      setConnected(true);
      void openAndCatchUp();
    };
    const onDisconnect = () => setConnected(false);
    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    if (socket.connected) void openAndCatchUp();
    return () => {
      cancelled = true;
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
    };
  }, [socket, conversationId, staff, merge, markRead, t]);

  // Live events for this conversation.
  useEffect(() => {
    if (!socket || !opened) return;
    const id = opened.conversation.id;
    const onMessage = (m: ChatMessageView) => {
      if (m.conversationId !== id) return;
      merge([m]);
      if (m.sender?.id !== viewerId) {
        setTyping(null);
        markRead(id, m.seq);
      }
    };
    const onTyping = (p: { conversationId: string; userId: string; name: string; isStaff: boolean; typing: boolean }) => {
      if (p.conversationId !== id || p.userId === viewerId) return;
      clearTimeout(typingTimer.current);
      setTyping(p.typing ? p.name : null);
      // A lost "stopped typing" must not leave the indicator on forever.
      if (p.typing) typingTimer.current = setTimeout(() => setTyping(null), 6_000);
    };
    const onRead = (p: { conversationId: string; userId: string; isStaff: boolean; seq: number; at: string }) => {
      if (p.conversationId !== id || p.userId === viewerId || p.isStaff !== !staff) return;
      setTheirRead((current) => (current && current.seq >= p.seq ? current : { seq: p.seq, at: p.at }));
    };
    const onVisible = () => {
      if (document.visibilityState === "visible") markRead(id, lastSeq.current);
    };
    socket.on("chat:message", onMessage);
    socket.on("chat:typing", onTyping);
    socket.on("chat:read", onRead);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      socket.off("chat:message", onMessage);
      socket.off("chat:typing", onTyping);
      socket.off("chat:read", onRead);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [socket, opened, viewerId, staff, merge, markRead]);

  const older = useOlderMessages({ socket, opened, messages, pendingCount: pending.length, more, setMore, merge });

  // Written before the conversation was open (a fast typist, a slow network): held, then sent on open.
  const waiting = useRef<Pending[]>([]);
  useEffect(() => {
    if (!opened || !waiting.current.length) return;
    const held = waiting.current;
    waiting.current = [];
    for (const item of held) void deliver(item);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  async function deliver(item: Pending) {
    if (!socket || !opened) {
      waiting.current.push(item);
      return;
    }
    setPending((current) => current.map((p) => (p.clientId === item.clientId ? { ...p, state: "sending", error: undefined } : p)));
    const result = await emitWithAck<{ message: ChatMessageView; duplicate: boolean }>(socket, "chat:send", {
      conversationId: opened.conversation.id,
      clientId: item.clientId,
      body: item.body,
      ...(item.note ? { note: true } : {}),
    });
    if (result.ok) return merge([result.data.message]);
    // The server was away or busy: nothing was stored, so the same message (same client id) is
    // sent again after a growing pause; the server keeps one however many copies arrive.
    const away = result.error === "unavailable" || result.error === "timeout";
    const attempts = item.attempts ?? 0;
    const message = away ? t(attempts < AUTO_RESENDS ? "chat.error.unavailable" : "chat.error.timeout") : result.message || t("chat.error.generic");
    setPending((current) => current.map((p) => (p.clientId === item.clientId ? { ...p, state: "failed", error: message } : p)));
    if (away && attempts < AUTO_RESENDS) setTimeout(() => void deliver({ ...item, attempts: attempts + 1 }), 2_000 * 2 ** attempts);
  }

  /** A new message: shown as "sending" at once, under a client id it keeps through every resend. */
  function send(body: string, note: boolean) {
    const item: Pending = { clientId: newClientId(), body, note, state: "sending" };
    setPending((current) => [...current, item]);
    void deliver(item);
  }

  const lastMine = [...messages].reverse().find((m) => m.sender?.id === viewerId && m.kind === "message");
  const seen = lastMine && theirRead && theirRead.seq >= lastMine.seq ? theirRead : null;
  // Messages render only in the browser (they come over the socket), so its zone is the reader's.
  // The reader's zone as the root loader resolved it, so the server render and hydration agree.
  const days = useMemo(() => groupByDay(messages, timeZone), [messages, timeZone]);

  return { socket, opened, days, more, pending, typing, seen, error, connected, ...older, send, retry: deliver };
}
