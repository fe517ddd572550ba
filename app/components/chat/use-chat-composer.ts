import { useEffect, useId, useMemo, useRef, useState } from "react";
import type { ChatOpened } from "~/realtime/events";
import type { ClientSocket } from "~/realtime/client";

/** A canned reply with its variables already filled in for this member. */
export interface CannedOption {
  id: string;
  title: string;
  text: string;
}

const fold = (value: string) => value.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();

/** The composer's draft, the note toggle, the typing signal and the canned replies picker. */
export function useChatComposer({
  socket,
  opened,
  staff,
  canned,
  send,
}: {
  socket: ClientSocket | null;
  opened: ChatOpened | null;
  staff: boolean;
  canned: CannedOption[];
  send: (body: string, note: boolean) => void;
}) {
  const id = useId();
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const [cannedActive, setCannedActive] = useState(0);
  const [draft, setDraft] = useState("");
  const [asNote, setAsNote] = useState(false);
  const sentTyping = useRef(0);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const body = draft.trim();
    if (!body) return;
    const note = staff && asNote;
    setDraft("");
    setAsNote(false);
    stopTyping();
    send(body, note);
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

  /** The "canned replies" button: the same as typing "/". */
  function openCanned() {
    setDraft("/");
    inputRef.current?.focus();
  }

  return { id, inputRef, draft, asNote, setAsNote, onDraft, stopTyping, submit, onComposerKey, cannedOpen, cannedMatches, cannedActive, pickCanned, openCanned };
}
