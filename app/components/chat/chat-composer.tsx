import { useT } from "~/utils/i18n";
import type { CannedOption, useChatComposer } from "./use-chat-composer";

/** The message box; for staff also the private-note toggle and the canned replies ("/" or the button). */
export function ChatComposer({
  composer,
  staff,
  canned,
  canSend,
}: {
  composer: ReturnType<typeof useChatComposer>;
  staff: boolean;
  canned: CannedOption[];
  canSend: boolean;
}) {
  const t = useT();
  const { id, inputRef, draft, asNote, setAsNote, onDraft, stopTyping, submit, onComposerKey, cannedOpen, cannedMatches, cannedActive } = composer;
  return (
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
        {cannedOpen ? <CannedList composer={composer} /> : null}
      </div>
      {staff ? (
        <div className="chat__note-toggle actions">
          <label>
            <input type="checkbox" checked={asNote} onChange={(e) => setAsNote(e.currentTarget.checked)} /> {t("chat.asNote")}
          </label>
          {canned.length ? (
            <button type="button" className="button button--ghost" onClick={composer.openCanned}>
              {t("canned.pick")}
            </button>
          ) : null}
          <span id={`${id}-canned-hint`} className="muted small">
            {canned.length ? t("canned.hint") : null}
          </span>
        </div>
      ) : null}
      <button type="submit" className="button button--primary" disabled={!canSend}>
        {asNote ? t("chat.addNote") : t("chat.send")}
      </button>
    </form>
  );
}

/** The canned replies matching what follows "/", picked by mouse or by the arrow keys and Enter. */
function CannedList({ composer }: { composer: ReturnType<typeof useChatComposer> }) {
  const t = useT();
  const { id, cannedMatches, cannedActive, pickCanned } = composer;
  return (
    <ul id={`${id}-canned`} role="listbox" className="mention-list canned-list" aria-label={t("canned.pick")}>
      {cannedMatches.length === 0 ? <li className="muted">{t("canned.none")}</li> : null}
      {cannedMatches.map((option, n) => (
        <li
          key={option.id}
          id={`${id}-canned-${n}`}
          role="option"
          aria-selected={n === cannedActive}
          onMouseDown={(e) => {
            // Keeps the focus in the textarea, so the picked text can be edited at once.
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
  );
}
