import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { action as previewAction } from "~/routes/api.markdown-preview";
import { useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";
import { FieldErrors } from "./field";

/**
 * A markdown textarea with a live preview rendered by the server's renderer
 * (debounced). Without JavaScript it is a plain textarea.
 */
export function MarkdownEditor({
  id,
  name,
  label,
  defaultValue,
  errors,
  rows = 8,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue?: string;
  errors?: string[];
  rows?: number;
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
  return (
    <div className="md-editor">
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <textarea
          id={id}
          name={name}
          rows={rows}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          aria-describedby={`${id}-hint${errors?.length ? ` ${errorId}` : ""}`}
          aria-invalid={errors?.length ? true : undefined}
        />
        <p id={`${id}-hint`} className="field__hint">
          {t("forum.bodyHint")}
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
