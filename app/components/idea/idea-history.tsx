import type { ReactNode } from "react";
import { StatusBadge } from "~/components/idea-bits";
import { useDates, useT } from "~/utils/i18n";
import type { IdeaView } from "./use-idea-page";

/** Every status the idea passed through, with the team's public comments; staff tools close the card. */
export function IdeaHistory({ idea, children }: { idea: IdeaView; children?: ReactNode }) {
  const t = useT();
  const dates = useDates();
  return (
    <section className="card stack" id="history" aria-labelledby="history-title">
      <h2 id="history-title">{t("idea.history")}</h2>
      <ol className="status-history">
        <li>
          {t("idea.historySubmitted")} · <time dateTime={new Date(idea.createdAt).toISOString()}>{dates.date(idea.createdAt)}</time>
        </li>
        {idea.statusChanges.map((c) => (
          <li key={c.id}>
            <StatusBadge status={c.fromStatus} /> → <StatusBadge status={c.toStatus} />{" "}
            <span className="muted small">
              {c.changedBy ? `${c.changedBy} · ` : ""}
              <time dateTime={new Date(c.changedAt).toISOString()}>{dates.dateTime(c.changedAt)}</time>
            </span>
            {c.commentHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: c.commentHtml }} /> : null}
          </li>
        ))}
      </ol>
      {children}
    </section>
  );
}
