import { Form, useFetcher, useNavigate } from "@remix-run/react";
import { Fragment, useEffect, useId, useRef, useState } from "react";
import type { loader as searchApiLoader } from "~/routes/api.search";
import type { Segment } from "~/modules/search/text";
import type { MessageKey } from "~/i18n/en";
import { useT } from "~/utils/i18n";
import { nameFormerMembersInText } from "~/utils/former-member";

/** Text with matches in <mark>: segments are rendered as text, so nothing in them is ever markup. */
export function Highlighted({ segments }: { segments: Segment[] }) {
  const t = useT();
  const text = (s: Segment) => nameFormerMembersInText(s.text, t("member.former"));
  return (
    <>
      {segments.map((s, i) => (s.mark ? <mark key={i}>{text(s)}</mark> : <Fragment key={i}>{text(s)}</Fragment>))}
    </>
  );
}

/**
 * The header's search: a combobox (ARIA 1.2) whose listbox shows grouped
 * suggestions as you type (debounced /api/search). Arrows move, Enter opens
 * the active suggestion or, with none, the full results page; Escape closes,
 * then clears. Without JavaScript it is a plain GET form to /search.
 */
export function SearchBox() {
  const t = useT();
  const id = useId();
  const listId = `${id}-list`;
  const optionId = (n: number) => `${id}-opt-${n}`;
  const fetcher = useFetcher<typeof searchApiLoader>();
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    clearTimeout(timer.current);
    const query = q.trim();
    if (query.length < 2) return;
    timer.current = setTimeout(() => fetcher.load(`/api/search?q=${encodeURIComponent(query)}`), 200);
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);

  const current = fetcher.data && fetcher.data.q === q.trim() ? fetcher.data : null;
  const groups = q.trim().length >= 2 && current ? current.groups : [];
  const flat = groups.flatMap((g) => g.items);
  const expanded = open && flat.length > 0;
  const problem = open && q.trim().length >= 2 && current?.problem ? current.problem : null;
  const problemText = problem
    ? problem.kind === "rateLimited"
      ? t("search.rateLimited", { seconds: problem.retryAfterSeconds })
      : t("search.unavailable")
    : "";

  function go(url: string) {
    setOpen(false);
    setActive(-1);
    navigate(url);
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!flat.length) return;
      event.preventDefault();
      setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      // -1 is the input itself: past either end the focus returns there.
      setActive((a) => {
        const next = a + step;
        return next >= flat.length ? -1 : next < -1 ? flat.length - 1 : next;
      });
    } else if (event.key === "Enter" && expanded && active >= 0 && active < flat.length) {
      event.preventDefault();
      go(flat[active]!.url);
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      } else if (q) {
        event.preventDefault();
        setQ("");
      }
    }
  }

  let n = -1;
  return (
    <Form method="get" action="/search" role="search" className="search-box" aria-label={t("search.label")} onSubmit={() => setOpen(false)}>
      <label htmlFor={`${id}-input`} className="visually-hidden">
        {t("search.label")}
      </label>
      <svg className="search-box__icon" aria-hidden="true" viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2">
        <circle cx="11" cy="11" r="7" />
        <path d="m20 20-3.5-3.5" />
      </svg>
      <input
        id={`${id}-input`}
        type="search"
        name="q"
        value={q}
        maxLength={100}
        placeholder={t("search.placeholder")}
        autoComplete="off"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 && active < flat.length ? optionId(active) : undefined}
        onChange={(e) => {
          setQ(e.currentTarget.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {/* The grouped listbox of the ARIA Authoring Practices: groups labelled by a presentational item. */}
      <div className="search-box__popup" hidden={!expanded}>
        <div id={listId} role="listbox" aria-label={t("search.suggestions")} className="search-box__list">
        {groups.map((group) => (
            <ul key={group.kind} role="group" aria-labelledby={`${id}-g-${group.kind}`}>
              <li role="presentation" id={`${id}-g-${group.kind}`} className="search-box__group">
                {t(`search.kind.${group.kind}` as MessageKey)}
              </li>
              {group.items.map((item) => {
                n += 1;
                const index = n;
                return (
                  <li
                    key={item.id}
                    id={optionId(index)}
                    role="option"
                    aria-selected={index === active}
                    className="search-box__option"
                    // mousedown, not click: the input must not blur (and close the list) first.
                    onMouseDown={(e) => {
                      e.preventDefault();
                      go(item.url);
                    }}
                  >
                    <span className="search-box__title">
                      <Highlighted segments={item.title} />
                    </span>
                    {item.snippet.length ? (
                      <span className="search-box__snippet">
                        <Highlighted segments={item.snippet} />
                      </span>
                    ) : null}
                  </li>
                );
              })}
            </ul>
        ))}
        </div>
        <p className="search-box__all">
          <a href={`/search?q=${encodeURIComponent(q.trim())}`} tabIndex={-1} onMouseDown={(e) => e.preventDefault()} onClick={(e) => { e.preventDefault(); go(`/search?q=${encodeURIComponent(q.trim())}`); }}>
            {t("search.seeAll", { q: q.trim() })}
          </a>
        </p>
      </div>
      {problem ? <p className="search-box__problem notice notice--error">{problemText}</p> : null}
      <p className="visually-hidden" aria-live="polite">
        {problem ? problemText : open && q.trim().length >= 2 && current ? (flat.length ? t("search.count", { count: flat.length }) : t("search.noSuggestions")) : ""}
      </p>
    </Form>
  );
}
