import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ROADMAP_STATUSES } from "~/modules/ideas/idea-schemas";
import { roadmap } from "~/modules/ideas/ideas.server";
import { localized } from "~/utils/forum";
import { useLocale, useT } from "~/utils/i18n";

export async function loader({ context }: LoaderFunctionArgs) {
  return { columns: await roadmap(context.services.db) };
}

export const meta: MetaFunction = () => [{ title: "Roadmap · Rapport" }];

export default function RoadmapPage() {
  const t = useT();
  const locale = useLocale();
  const { columns } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <p>
        <Link to="/ideas">← {t("ideas.title")}</Link>
      </p>
      <h1>{t("roadmap.title")}</h1>
      <p className="lead">{t("roadmap.intro")}</p>
      <div className="roadmap">
        {ROADMAP_STATUSES.map((status) => (
          <section key={status} className="roadmap__column" aria-labelledby={`roadmap-${status}`}>
            <h2 id={`roadmap-${status}`}>
              {t(`idea.status.${status}`)} <span className="muted small">({columns[status].length})</span>
            </h2>
            {columns[status].length === 0 ? <p className="muted">{t("roadmap.empty")}</p> : null}
            <ol>
              {columns[status].map((idea) => (
                <li key={idea.id} className="card">
                  <Link to={`/ideas/${idea.id}`}>{idea.title}</Link>
                  <p className="muted small">
                    {t("idea.votes", { count: idea.voteCount })}
                    {idea.product ? ` · ${localized(idea.product, locale).name}` : ""}
                  </p>
                  {status === "done" ? (
                    <div className="small">
                      <strong>{t("idea.weBuilt")}</strong>
                      {/* Safe: the staff comment, rendered by our markdown renderer. */}
                      {idea.statusNoteHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: idea.statusNoteHtml }} /> : null}
                    </div>
                  ) : null}
                </li>
              ))}
            </ol>
          </section>
        ))}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
