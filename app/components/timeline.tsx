import type { Translate } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/en";
import { isMessageKey } from "~/i18n/translate";
import { localizeStoredVars } from "~/i18n/stored-vars";
import { Link } from "@remix-run/react";
import { useDates } from "~/utils/i18n";
import type { DateFormat } from "~/i18n/dates";

export interface TimelineItem {
  id: string;
  kind: string;
  data: unknown;
  occurredAt: string | Date;
  actor: { id: string; displayName: string; role: string } | null;
  /** A staff note's excerpt, rendered by the server's markdown renderer. */
  noteHtml?: string | null;
}

const FIELD_LABELS: Record<string, MessageKey> = {
  displayName: "signup.displayName",
  bio: "profile.bio",
  company: "profile.company",
  phone: "profile.phone",
  timezone: "profile.timezone",
  locale: "profile.language",
  contactChannel: "profile.contactChannel",
  contactHours: "profile.contactHours",
  emailHours: "profile.emailHours",
};

/** The touchpoint's summary in the viewer's language, from its kind and data. */
export function describeTouchpoint(t: Translate, item: Pick<TimelineItem, "kind" | "data">, dates: DateFormat) {
  const data = (item.data ?? {}) as Record<string, unknown>;
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(data)) vars[name] = value === null || value === undefined ? "—" : String(value);
  localizeStoredVars(t, dates, data, vars);
  if (typeof data.key === "string" && isMessageKey(`pref.${data.key}`)) vars.key = t(`pref.${data.key}` as MessageKey);
  if (typeof data.channel === "string" && isMessageKey(`consent.${data.channel}`)) vars.channel = t(`consent.${data.channel}` as MessageKey);
  if (item.kind === "interaction.logged" && typeof data.channel === "string" && isMessageKey(`crm.channel.${data.channel}`)) vars.channel = t(`crm.channel.${data.channel}` as MessageKey);
  if (item.kind === "stage.changed") {
    for (const name of ["from", "to"] as const) if (typeof data[name] === "string" && isMessageKey(`stage.${data[name]}`)) vars[name] = t(`stage.${data[name]}` as MessageKey);
  }
  if (typeof data.granted === "boolean") vars.state = data.granted ? t("consent.granted") : t("consent.withdrawn");
  if (typeof data.fields === "string") {
    vars.fields = data.fields
      .split(",")
      .map((f) => (FIELD_LABELS[f] ? t(FIELD_LABELS[f]) : f))
      .join(", ");
  }
  const key = `touchpoint.${item.kind}`;
  return isMessageKey(key) ? t(key, vars) : item.kind;
}

/** What happened, as a sentence; a staff note as the record shows notes, rendered. */
export function TouchpointWhat({ item, t, dates, link }: { item: Pick<TimelineItem, "kind" | "data" | "noteHtml">; t: Translate; dates: DateFormat; link?: string | null }) {
  if (item.noteHtml) {
    return (
      <div className="timeline__what timeline__note">
        {t("crm.noteInTimeline")} {/* Safe: rendered by the server's markdown renderer (html: false). */}
        <div className="prose" dangerouslySetInnerHTML={{ __html: item.noteHtml }} />
      </div>
    );
  }
  const text = describeTouchpoint(t, item, dates);
  return <span className="timeline__what">{link ? <Link to={link}>{text}</Link> : text}</span>;
}

export function TimelineList({ items, t, selfId }: { items: TimelineItem[]; t: Translate; selfId?: string }) {
  const dates = useDates();
  return (
    <ol className="timeline">
      {items.map((item) => (
        <li key={item.id} className="timeline__item" data-kind={item.kind}>
          <TouchpointWhat item={item} t={t} dates={dates} />
          {renderLink(item, t)}
          {item.actor && item.actor.id !== selfId ? (
            <span className="muted"> {t("touchpoint.by", { name: item.actor.displayName || t("member.former") })}</span>
          ) : null}
          <time className="timeline__when muted" dateTime={new Date(item.occurredAt).toISOString()}>
            {dates.dateTime(item.occurredAt)}
          </time>
        </li>
      ))}
    </ol>
  );
}

/** A touchpoint that names a page (a product, an idea, the member's chat) links to it. */
function renderLink(item: TimelineItem, t: Translate) {
  const link = (item.data as Record<string, unknown> | null)?.link;
  if (typeof link !== "string" || !link.startsWith("/") || link.startsWith("//")) return null;
  return (
    <>
      {" "}
      <Link to={link} className="timeline__link">
        {t(item.kind === "review.needs_attention" ? "touchpoint.openChat" : "touchpoint.open")}
      </Link>
    </>
  );
}
