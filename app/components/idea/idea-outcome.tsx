import { Link } from "@remix-run/react";
import { useDates, useT } from "~/utils/i18n";
import type { IdeaView } from "./use-idea-page";

/** Where a merged idea went, and what the team wrote when they built it. */
export function IdeaOutcome({ mergedInto, doneNote }: { mergedInto: IdeaView["mergedInto"]; doneNote: IdeaView["statusChanges"][number] | null | undefined }) {
  const t = useT();
  const dates = useDates();
  return (
    <>
      {mergedInto ? (
        <p className="notice">
          {t("idea.mergedInto")} <Link to={`/ideas/${mergedInto.id}`}>{mergedInto.title}</Link>
        </p>
      ) : null}
      {doneNote ? (
        <section className="we-built" aria-labelledby="we-built-title">
          <h2 id="we-built-title">{t("idea.weBuilt")}</h2>
          {doneNote.commentHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: doneNote.commentHtml }} /> : <p>{t("idea.weBuiltDefault")}</p>}
          <p className="muted small">
            {doneNote.changedBy ? `${doneNote.changedBy} · ` : ""}
            {dates.date(doneNote.changedAt)}
          </p>
        </section>
      ) : null}
    </>
  );
}
