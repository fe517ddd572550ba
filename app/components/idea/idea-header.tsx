import { Form, Link } from "@remix-run/react";
import { StatusBadge, VoteBox } from "~/components/idea-bits";
import { localized } from "~/utils/forum";
import { useDates, useLocale, useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";
import type { IdeaView, IdeaViewer } from "./use-idea-page";

/** The way back, the votes, title and byline, and following (or a way to log in). */
export function IdeaHeader({ idea, viewer, canVote, voteError }: { idea: IdeaView; viewer: IdeaViewer; canVote: boolean; voteError: string | null | undefined }) {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  return (
    <>
      <p>
        <Link to="/ideas">← {t("ideas.title")}</Link> · <Link to="/ideas/roadmap">{t("roadmap.title")}</Link>
      </p>
      <div className="idea-row">
        <VoteBox ideaId={idea.id} title={idea.title} votes={idea.voteCount} voted={idea.voted} canVote={canVote} />
        <div className="stack">
          <h1 id="idea-title">{idea.title}</h1>
          <p className="muted">
            <StatusBadge status={idea.status} /> · {idea.author.deletedAt ? t("member.former") : idea.author.displayName} ·{" "}
            <time dateTime={new Date(idea.createdAt).toISOString()}>{dates.date(idea.createdAt)}</time>
            {idea.product ? (
              <>
                {" · "}
                <Link to={`/products/${idea.product.slug}`}>{localized(idea.product, locale).name}</Link>
              </>
            ) : null}
          </p>
          {viewer ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value={idea.following ? "unfollow" : "follow"} />
              <button type="submit" className="button button--ghost" aria-pressed={idea.following}>
                {idea.following ? t("idea.following") : t("idea.follow")}
              </button>{" "}
              <span className="muted small">{t("idea.followHint")}</span>
            </Form>
          ) : (
            <p>
              <Link to={`/login?redirectTo=${encodeURIComponent(`/ideas/${idea.id}`)}`}>{t("idea.loginToVote")}</Link>
            </p>
          )}
        </div>
      </div>
      <FormError message={voteError} />
    </>
  );
}
