import { Form, Link } from "@remix-run/react";
import { Avatar } from "~/components/avatar";
import { MarkdownEditor } from "~/components/markdown-editor";
import { isStaffRole } from "~/modules/policy/permissions";
import { useDates, useT } from "~/utils/i18n";
import { FormError } from "~/components/form-error";
import type { IdeaCan, IdeaPageState, IdeaView, IdeaViewer, ResultOf } from "./use-idea-page";

type Props = { idea: IdeaView; viewer: IdeaViewer; can: IdeaCan; editing: IdeaPageState["editing"]; result: ResultOf; busy: boolean };

/** The discussion: each comment with its author's tools, then a box to add one (or a way to log in). */
export function IdeaComments({ idea, viewer, can, editing, result, busy }: Props) {
  const t = useT();
  return (
    <section className="stack" id="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">{t("ideas.comments", { count: idea.commentCount })}</h2>
      <FormError message={result("delete-comment")?.formError || result("edit-comment")?.formError} />
      {idea.comments.length === 0 ? <p className="muted">{t("idea.noComments")}</p> : null}
      <ol className="comment-list">
        {idea.comments.map((c) => (
          <IdeaComment key={c.id} comment={c} viewer={viewer} can={can} editing={editing} result={result} />
        ))}
      </ol>
      {can.comment ? (
        <Form method="post" className="stack card" key={`comment-${idea.commentCount}`}>
          <input type="hidden" name="intent" value="comment" />
          <FormError message={result("comment")?.formError} />
          <MarkdownEditor id="idea-comment" name="body" label={t("idea.addComment")} defaultValue={result("comment")?.values.body} errors={result("comment")?.fieldErrors.body} rows={4} />
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("idea.postComment")}
          </button>
        </Form>
      ) : !viewer ? (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(`/ideas/${idea.id}#comments`)}`}>{t("idea.loginToComment")}</Link>
        </p>
      ) : null}
    </section>
  );
}

/** One comment; its author edits it in place (?edit=id), its author or a moderator deletes it. */
function IdeaComment({ comment: c, viewer, can, editing, result }: Omit<Props, "idea" | "busy"> & { comment: IdeaView["comments"][number] }) {
  const t = useT();
  const dates = useDates();
  const name = c.author.deletedAt ? t("member.former") : c.author.displayName;
  const own = viewer?.id === c.author.id;
  return (
    <li id={`comment-${c.id}`} className="card post">
      <header className="post__head">
        <Avatar name={name} url={c.author.avatar} size="sm" />
        <strong>{c.author.deletedAt ? name : <Link to={`/community/u/${c.author.username}`}>{name}</Link>}</strong>
        {isStaffRole(c.author.role) ? <span className="badge badge--staff">{t("idea.staffBadge")}</span> : null}
        <span className="muted small">
          <time dateTime={new Date(c.createdAt).toISOString()}>{dates.dateTime(c.createdAt)}</time>
          {c.editedAt ? ` · ${t("review.edited")}` : ""}
        </span>
      </header>
      {c.deletedAt ? <p className="muted">{t("idea.commentDeleted")}</p> : <div className="prose" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />}
      {editing?.id === c.id && editing.body !== null ? (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="edit-comment" />
          <input type="hidden" name="commentId" value={c.id} />
          <MarkdownEditor
            id={`edit-comment-${c.id}`}
            name="body"
            label={t("idea.editComment")}
            defaultValue={result("edit-comment")?.values.body ?? editing.body}
            errors={result("edit-comment")?.fieldErrors.body}
            rows={4}
          />
          <button type="submit" className="button button--primary">
            {t("review.saveEdit")}
          </button>
        </Form>
      ) : null}
      {!c.deletedAt && (own || can.moderate) ? (
        <footer className="toolbar">
          {own ? (
            <Link to={`?edit=${c.id}#comment-${c.id}`} className="button button--ghost" aria-label={t("idea.editCommentOf", { name })}>
              {t("idea.edit")}
            </Link>
          ) : null}
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="delete-comment" />
            <input type="hidden" name="commentId" value={c.id} />
            <button type="submit" className="button button--ghost" aria-label={t("idea.deleteCommentOf", { name })}>
              {t("idea.delete")}
            </button>
          </Form>
        </footer>
      ) : null}
    </li>
  );
}
