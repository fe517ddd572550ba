import { Fragment, useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import type { ChatMessageView } from "~/modules/chat/chat-types";
import { catchUpTracker } from "~/modules/chat/catch-up";
import type { Ack, ChatOpened } from "~/realtime/events";
import { useSocket, type ClientSocket } from "~/realtime/client";
import { useDates, useT } from "~/utils/i18n";
import { calendarDay } from "~/modules/console/calendar";
import { chatDayHeading, groupByDay } from "~/utils/chat-days";

/** A canned reply with its variables already filled in for this member. */
export interface CannedOption {
  id: string;
  title: string;
  text: string;
}

const fold = (value: string) => value.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();

type Pending = { clientId: string; body: string; note: boolean; state: "sending" | "failed"; error?: string; attempts?: number };

/** Automatic resends of a message the server could not take (restarting, unreachable); the same client id each time. */
const AUTO_RESENDS = 5;

function newClientId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function emitWithAck<T>(socket: ClientSocket, event: string, payload: unknown, timeoutMs = 10_000): Promise<Ack<T>> {
  return new Promise((resolve) => {
    (socket.timeout(timeoutMs).emit as (e: string, p: unknown, ack: (err: Error | null, r: Ack<T>) => void) => void)(event, payload, (err, result) =>
      resolve(err ? { ok: false, error: "timeout", message: "" } : result),
    );
  });
}

/**
 * The conversation view used by members (/chat) and staff (/staff/inbox).
 * Messages are sent with a client id and kept as "sending" until the server
 * acknowledges them; a failed send is kept with a retry button, so nothing
 * typed is lost. On every (re)connect it re-opens the conversation and
 * fetches what came after the last message it has.
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
  const id = useId();
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const [cannedActive, setCannedActive] = useState(0);
  const dates = useDates();
  const socket = useSocket(true);
  const [opened, setOpened] = useState<ChatOpened | null>(null);
  const [messages, setMessages] = useState<ChatMessageView[]>([]);
  const [more, setMore] = useState(false);
  const [pending, setPending] = useState<Pending[]>([]);
  const [draft, setDraft] = useState("");
  const [asNote, setAsNote] = useState(false);
  const [typing, setTyping] = useState<string | null>(null);
  const [theirRead, setTheirRead] = useState<{ seq: number; at: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [connected, setConnected] = useState(true);
  const listRef = useRef<HTMLOListElement>(null);
  const lastSeq = useRef(0);
  // Where to resume after a reconnect: not the highest seq seen (see catch-up.ts).
  const tracker = useRef(catchUpTracker());
  const openedOnce = useRef(false);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>();
  const sentTyping = useRef(0);

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

  // Keep the newest message in view when one arrives at the end; older pages
  // loaded above keep what the reader was looking at in place.
  const newestId = messages.at(-1)?.id;
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [newestId, pending.length]);
  const loadingOlder = useRef(false);
  const topRef = useRef<HTMLLIElement>(null);

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

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const body = draft.trim();
    if (!body) return;
    const item: Pending = { clientId: newClientId(), body, note: staff && asNote, state: "sending" };
    setPending((current) => [...current, item]);
    setDraft("");
    setAsNote(false);
    stopTyping();
    void deliver(item);
  }

  function onDraft(value: string) {
    setDraft(value);
    if (!socket || !opened || asNote) return;
    const now = Date.now();
    if (now - sentTyping.current > 2_000) {
      sentTyping.current = now;
      socket.emit("chat:typing", { conversationId: opened.conversation.id, typing: true });
    }
  }

  function stopTyping() {
    if (socket && opened && sentTyping.current) socket.emit("chat:typing", { conversationId: opened.conversation.id, typing: false });
    sentTyping.current = 0;
  }

  // "/" at the start of a staff message opens the canned replies, filtered by what follows.
  const cannedQuery = staff && canned.length && /^\/[^\n]*$/.test(draft) ? fold(draft.slice(1).trim()) : null;
  const cannedMatches = useMemo(
    () => (cannedQuery === null ? [] : canned.filter((c) => fold(c.title).includes(cannedQuery) || fold(c.text).includes(cannedQuery)).slice(0, 8)),
    [canned, cannedQuery],
  );
  const cannedOpen = cannedQuery !== null;
  useEffect(() => setCannedActive(0), [cannedQuery]);

  function pickCanned(option: CannedOption) {
    setDraft(option.text);
    inputRef.current?.focus();
  }

  function onComposerKey(e: React.KeyboardEvent<HTMLTextAreaElement>) {
    if (cannedOpen && cannedMatches.length && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      const n = cannedMatches.length;
      setCannedActive((cannedActive + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
      return;
    }
    if (cannedOpen && (e.key === "Enter" || e.key === "Tab") && cannedMatches[cannedActive]) {
      e.preventDefault();
      pickCanned(cannedMatches[cannedActive]!);
      return;
    }
    if (cannedOpen && e.key === "Escape") {
      e.preventDefault();
      setDraft("");
      return;
    }
    // Enter sends, Shift+Enter is a new line, as in every chat.
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) submit(e);
  }

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

  const lastMine = [...messages].reverse().find((m) => m.sender?.id === viewerId && m.kind === "message");
  const seen = lastMine && theirRead && theirRead.seq >= lastMine.seq ? theirRead : null;
  // Messages render only in the browser (they come over the socket), so its zone is the reader's.
  // The reader's zone as the root loader resolved it, so the server render and hydration agree.
  const { timeZone, locale } = dates;
  const days = useMemo(() => groupByDay(messages, timeZone), [messages, timeZone]);
  const now = new Date();
  const today = calendarDay(now, timeZone);

  return (
    <section className={`chat card${compact ? " chat--compact" : ""}`} aria-label={t("chat.conversation")}>
      {!connected ? (
        <p className="notice" role="status">
          {t("chat.reconnecting")}
        </p>
      ) : null}
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      {more ? (
        <button type="button" className="button button--ghost" onClick={() => void loadOlder()}>
          {t("chat.older")}
        </button>
      ) : null}
      <ol className="chat__messages" ref={listRef} aria-live="polite" aria-relevant="additions" tabIndex={0} aria-label={t("chat.messages")}>
        {more ? <li ref={topRef} aria-hidden="true" className="chat__top" /> : null}
        {messages.length === 0 && pending.length === 0 ? <li className="muted">{t("chat.empty")}</li> : null}
        {days.map((group) => (
          <Fragment key={group.day}>
            <li className="chat__day">
              <time dateTime={group.day}>{chatDayHeading(group.day, { now, timeZone, locale, t })}</time>
            </li>
            {group.messages.map((m) =>
              m.kind === "event" ? (
                <li key={m.id} className="chat__event muted small">
                  {m.event?.name ? t(staff ? "chat.event.managerChangedStaff" : "chat.event.managerChanged", { name: m.event.name }) : t("chat.event.managerRemoved")}{" "}
                  <time dateTime={m.createdAt}>{dates.time(m.createdAt)}</time>
                </li>
              ) : (
                <li key={m.id} className={`chat__message${m.sender?.id === viewerId ? " chat__message--mine" : ""}${m.kind === "note" ? " chat__message--note" : ""}`}>
                  <p className="chat__meta">
                    <strong>{m.sender?.displayName || t("member.former")}</strong>
                    {m.kind === "note" ? <span className="badge">{t("chat.noteBadge")}</span> : null}{" "}
                    <time dateTime={m.createdAt}>{dates.time(m.createdAt)}</time>
                  </p>
                  {/* Safe: rendered by the server's markdown renderer in chat mode. */}
                  <div className="prose" dangerouslySetInnerHTML={{ __html: m.bodyHtml }} />
                </li>
              ),
            )}
          </Fragment>
        ))}
        {/* What is being sent now belongs to today, even after yesterday's last message. */}
        {pending.length && days.at(-1)?.day !== today ? (
          <li className="chat__day">
            <time dateTime={today}>{chatDayHeading(today, { now, timeZone, locale, t })}</time>
          </li>
        ) : null}
        {pending.map((p) => (
          <li key={p.clientId} className={`chat__message chat__message--mine chat__message--pending${p.note ? " chat__message--note" : ""}`}>
            <p className="chat__body">{p.body}</p>
            {p.state === "sending" ? (
              <p className="chat__meta muted">{t("chat.sending")}</p>
            ) : (
              <p className="chat__meta" role="alert">
                {p.error}{" "}
                <button type="button" className="button button--ghost" onClick={() => void deliver(p)}>
                  {t("chat.retry")}
                </button>
              </p>
            )}
          </li>
        ))}
      </ol>
      <p className="chat__status muted" aria-live="polite">
        {typing ? t("chat.typing", { name: typing }) : seen ? t("chat.seen", { time: dates.time(seen.at) }) : ""}
      </p>
      <form className="chat__composer" onSubmit={submit}>
        <label htmlFor={`${id}-input`} className="visually-hidden">
          {t("chat.input")}
        </label>
        <div className="mention-field">
          <textarea
            id={`${id}-input`}
            ref={inputRef}
            rows={2}
            value={draft}
            maxLength={4000}
            onChange={(e) => onDraft(e.currentTarget.value)}
            onBlur={stopTyping}
            onKeyDown={onComposerKey}
            placeholder={asNote ? t("chat.notePlaceholder") : t("chat.placeholder")}
            aria-describedby={staff && canned.length ? `${id}-canned-hint` : undefined}
            {...(staff && canned.length
              ? {
                  role: "combobox",
                  "aria-autocomplete": "list" as const,
                  "aria-expanded": cannedOpen && cannedMatches.length > 0,
                  "aria-controls": cannedOpen ? `${id}-canned` : undefined,
                  "aria-activedescendant": cannedOpen && cannedMatches.length ? `${id}-canned-${cannedActive}` : undefined,
                }
              : {})}
          />
          {cannedOpen ? (
            <ul id={`${id}-canned`} role="listbox" className="mention-list canned-list" aria-label={t("canned.pick")}>
              {cannedMatches.length === 0 ? <li className="muted">{t("canned.none")}</li> : null}
              {cannedMatches.map((option, n) => (
                <li
                  key={option.id}
                  id={`${id}-canned-${n}`}
                  role="option"
                  aria-selected={n === cannedActive}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    pickCanned(option);
                  }}
                >
                  <span>
                    <strong>{option.title}</strong>
                    <span className="muted small inbox__preview"> {option.text}</span>
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        {staff ? (
          <div className="chat__note-toggle actions">
            <label>
              <input type="checkbox" checked={asNote} onChange={(e) => setAsNote(e.currentTarget.checked)} /> {t("chat.asNote")}
            </label>
            {canned.length ? (
              <button
                type="button"
                className="button button--ghost"
                onClick={() => {
                  setDraft("/");
                  inputRef.current?.focus();
                }}
              >
                {t("canned.pick")}
              </button>
            ) : null}
            <span id={`${id}-canned-hint`} className="muted small">
              {canned.length ? t("canned.hint") : null}
            </span>
          </div>
        ) : null}
        <button type="submit" className="button button--primary" disabled={!opened}>
          {asNote ? t("chat.addNote") : t("chat.send")}
        </button>
      </form>
    </section>
  );
}
