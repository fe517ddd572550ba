import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { action as previewAction } from "~/routes/api.markdown-preview";
import { useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";
import { FieldErrors } from "./field";
import { Avatar } from "./avatar";
import { useMentionAutocomplete } from "./mention-autocomplete";

/**
 * A markdown textarea with a live preview rendered by the server's renderer
 * (debounced) and "@" autocomplete. Without JavaScript it is a plain textarea.
 * The textarea keeps its textbox role (a combobox role is not allowed on it):
 * aria-autocomplete, aria-controls and aria-activedescendant tie it to the list.
 */
export function MarkdownEditor({
  id,
  name,
  label,
  defaultValue,
  errors,
  rows = 8,
  threadId,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue?: string;
  errors?: string[];
  rows?: number;
  /** Puts this thread's people first among the suggestions. */
  threadId?: string;
}) {
  const t = useT();
  const preview = useFetcher<typeof previewAction>();
  const [text, setText] = useState(defaultValue ?? "");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => setText(defaultValue ?? ""), [defaultValue]);
  useEffect(() => {
    clearTimeout(timer.current);
    if (!text.trim()) return;
    timer.current = setTimeout(() => {
      preview.submit({ body: text }, { method: "post", action: "/api/markdown-preview" });
    }, 300);
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  const errorId = `${id}-error`;
  const mentions = useMentionAutocomplete(threadId, setText);
  const listId = `${id}-mentions`;
  const optionId = (n: number) => `${id}-mention-${n}`;

  function onKeyDown(event: React.KeyboardEvent<HTMLTextAreaElement>) {
    if (!mentions.open) return;
    const count = mentions.suggestions.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      mentions.setActive((mentions.active + (event.key === "ArrowDown" ? 1 : count - 1)) % count);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      mentions.choose(event.currentTarget, mentions.suggestions[mentions.active]!);
    } else if (event.key === "Escape") {
      event.preventDefault();
      mentions.close();
    }
  }
  return (
    <div className="md-editor">
      <div className="field mention-field">
        <label htmlFor={id}>{label}</label>
        <textarea
          id={id}
          name={name}
          rows={rows}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            mentions.update(e.currentTarget);
          }}
          onKeyDown={onKeyDown}
          onClick={(e) => mentions.update(e.currentTarget)}
          onBlur={mentions.close}
          aria-autocomplete="list"
          aria-controls={mentions.open ? listId : undefined}
          aria-activedescendant={mentions.open ? optionId(mentions.active) : undefined}
          aria-describedby={`${id}-hint${errors?.length ? ` ${errorId}` : ""}`}
          aria-invalid={errors?.length ? true : undefined}
        />
        {mentions.open ? (
          <ul id={listId} role="listbox" className="mention-list" aria-label={t("forum.mentionSuggestions")}>
            {mentions.suggestions.map((person, n) => (
              <li
                key={person.username}
                id={optionId(n)}
                role="option"
                aria-selected={n === mentions.active}
                // mousedown, not click: the textarea must not lose focus (and close the list) first.
                onMouseDown={(e) => {
                  e.preventDefault();
                  const textarea = document.getElementById(id);
                  if (textarea instanceof HTMLTextAreaElement) mentions.choose(textarea, person);
                }}
              >
                <Avatar name={person.displayName} url={person.avatar} size="sm" />
                <span>
                  <strong>@{person.username}</strong> <span className="muted">{person.displayName}</span>
                </span>
              </li>
            ))}
          </ul>
        ) : null}
        <p className="visually-hidden" aria-live="polite">
          {mentions.open ? t("forum.mentionCount", { count: mentions.suggestions.length }) : ""}
        </p>
        <p id={`${id}-hint`} className="field__hint">
          {t("forum.bodyHint")} {t("forum.mentionHint")}
        </p>
        <FieldErrors id={errorId} errors={errors} translate={(e) => translateError(t, e)} />
      </div>
      <section className="md-preview" aria-label={t("forum.preview")} aria-live="polite">
        <h3 className="md-preview__title">{t("forum.preview")}</h3>
        {text.trim() && preview.data?.html ? (
          // Safe: produced by our markdown renderer (html: false, link allow-list).
          <div className="prose" dangerouslySetInnerHTML={{ __html: preview.data.html }} />
        ) : (
          <p className="muted">{t("forum.previewEmpty")}</p>
        )}
      </section>
    </div>
  );
}
