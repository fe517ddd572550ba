import { Form, Link } from "@remix-run/react";
import { useT } from "~/utils/i18n";
import type { IdeaStatusName } from "~/modules/ideas/idea-schemas";

export function StatusBadge({ status }: { status: IdeaStatusName }) {
  const t = useT();
  return <span className={`status-badge status-badge--${status}`}>{t(`idea.status.${status}`)}</span>;
}

/**
 * The vote count and its toggle: a pressed button when the viewer voted.
 * Without JavaScript it is a plain form post; `redirectTo` brings them back.
 */
export function VoteBox({
  ideaId,
  title,
  votes,
  voted,
  canVote,
  redirectTo,
}: {
  ideaId: string;
  title: string;
  votes: number;
  voted: boolean;
  canVote: boolean;
  redirectTo?: string;
}) {
  const t = useT();
  return (
    <div className="vote-box">
      <span className="vote-box__count" aria-hidden="true">
        {votes}
      </span>
      <span className="visually-hidden">{t("idea.votes", { count: votes })}</span>
      {canVote || voted ? (
        <Form method="post" action={`/ideas/${ideaId}`} className="inline-form">
          <input type="hidden" name="intent" value="vote" />
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          <button type="submit" className="button" aria-pressed={voted} aria-label={voted ? t("idea.unvoteNamed", { title }) : t("idea.voteNamed", { title })}>
            {voted ? t("idea.voted") : t("idea.vote")}
          </button>
        </Form>
      ) : (
        <span className="muted small">{t("idea.votesWord")}</span>
      )}
    </div>
  );
}

/** One idea in a short list (the home page, a product's page): its title, status and votes. */
export function IdeaListItem({ idea }: { idea: { id: string; title: string; status: IdeaStatusName; voteCount: number } }) {
  const t = useT();
  return (
    <li>
      <Link to={`/ideas/${idea.id}`}>{idea.title}</Link> <StatusBadge status={idea.status} />{" "}
      <span className="muted small">{t("idea.votes", { count: idea.voteCount })}</span>
    </li>
  );
}
