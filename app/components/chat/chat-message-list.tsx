import { Fragment, type RefObject } from "react";
import type { ChatMessageView } from "~/modules/chat/chat-types";
import { calendarDay } from "~/modules/console/calendar";
import { chatDayHeading, type ChatDayGroup } from "~/utils/chat-days";
import { useDates, useT } from "~/utils/i18n";
import type { Pending } from "./chat-socket";

/** The conversation's messages by day, then what is still being sent (with its retry button). */
export function ChatMessageList({
  days,
  pending,
  more,
  staff,
  viewerId,
  listRef,
  topRef,
  onRetry,
}: {
  days: ChatDayGroup<ChatMessageView>[];
  pending: Pending[];
  more: boolean;
  staff: boolean;
  viewerId: string;
  listRef: RefObject<HTMLOListElement>;
  topRef: RefObject<HTMLLIElement>;
  onRetry: (item: Pending) => void;
}) {
  const t = useT();
  const dates = useDates();
  const { timeZone, locale } = dates;
  const now = new Date();
  const today = calendarDay(now, timeZone);
  return (
    <ol className="chat__messages" ref={listRef} aria-live="polite" aria-relevant="additions" tabIndex={0} aria-label={t("chat.messages")}>
      {more ? <li ref={topRef} aria-hidden="true" className="chat__top" /> : null}
      {days.length === 0 && pending.length === 0 ? <li className="muted">{t("chat.empty")}</li> : null}
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
              <button type="button" className="button button--ghost" onClick={() => onRetry(p)}>
                {t("chat.retry")}
              </button>
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
