import { useCallback, useEffect, useRef, useState } from "react";

export interface MentionSuggestion {
  username: string;
  displayName: string;
  avatar: string | null;
}

/** "@que|" just before the caret, as the renderer will read it (see render.server.ts). */
const TRIGGER = /(^|[^A-Za-z0-9_@./:])@([A-Za-z0-9_\p{L}]{1,20})$/u;

export function mentionQueryAt(text: string, caret: number) {
  const match = TRIGGER.exec(text.slice(0, caret));
  return match ? { query: match[2]!, start: caret - match[2]!.length - 1 } : null;
}

/**
 * The state behind "@" autocomplete in a textarea: what was typed, the
 * suggestions from /api/mentions (debounced, stale answers dropped), the
 * active option, and inserting the chosen handle.
 */
export function useMentionAutocomplete(threadId: string | undefined, setText: (value: string) => void) {
  const [suggestions, setSuggestions] = useState<MentionSuggestion[]>([]);
  const [active, setActive] = useState(0);
  const [context, setContext] = useState<{ query: string; start: number; caret: number } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const pending = useRef<AbortController>();

  useEffect(() => {
    clearTimeout(timer.current);
    pending.current?.abort();
    if (!context) {
      setSuggestions([]);
      return;
    }
    timer.current = setTimeout(() => {
      const controller = new AbortController();
      pending.current = controller;
      const params = new URLSearchParams({ q: context.query });
      if (threadId) params.set("thread", threadId);
      fetch(`/api/mentions?${params}`, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? (r.json() as Promise<{ people: MentionSuggestion[] }>) : { people: [] }))
        .then((body) => {
          setSuggestions(body.people);
          setActive(0);
        })
        .catch(() => {});
    }, 150);
    return () => clearTimeout(timer.current);
  }, [context?.query, threadId]); // eslint-disable-line react-hooks/exhaustive-deps

  const update = useCallback((textarea: HTMLTextAreaElement) => {
    const caret = textarea.selectionStart;
    const found = textarea.selectionEnd === caret ? mentionQueryAt(textarea.value, caret) : null;
    setContext(found ? { ...found, caret } : null);
  }, []);

  const close = useCallback(() => setContext(null), []);

  const choose = useCallback(
    (textarea: HTMLTextAreaElement, person: MentionSuggestion) => {
      if (!context) return;
      const value = textarea.value;
      const inserted = `@${person.username} `;
      const next = value.slice(0, context.start) + inserted + value.slice(context.caret).replace(/^ /, "");
      setText(next);
      setContext(null);
      const caret = context.start + inserted.length;
      // After React has written the new value.
      requestAnimationFrame(() => {
        textarea.focus();
        textarea.setSelectionRange(caret, caret);
      });
    },
    [context, setText],
  );

  const open = Boolean(context) && suggestions.length > 0;
  return { open, suggestions: open ? suggestions : [], active: Math.min(active, Math.max(suggestions.length - 1, 0)), setActive, update, close, choose };
}
