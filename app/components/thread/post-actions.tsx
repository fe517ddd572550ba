import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { FLAG_REASONS, REACTION_KINDS } from "~/modules/forums/forum-schemas";
import { can } from "~/modules/policy/can";
import { useT } from "~/utils/i18n";
import type { PostProps } from "./thread-post";
import type { Post } from "./use-thread-page";

/** The footer of a shown post: reactions, then what this viewer may do with it. */
export function PostActions({ post, thread, editing, reactions, viewer, may, canReply, quotePost }: PostProps) {
  const t = useT();
  const author = { authorId: post.author.id };
  return (
    <footer className="post__actions">
      <Form method="post" className="reactions">
        <input type="hidden" name="intent" value="react" />
        <input type="hidden" name="postId" value={post.id} />
        <input type="hidden" name="position" value={post.position} />
        {REACTION_KINDS.map((kind) => {
          const r = reactions[post.id]?.[kind] ?? { count: 0, mine: false };
          const own = post.author.id === viewer?.id;
          return (
            <button
              key={kind}
              type="submit"
              name="kind"
              value={kind}
              className={`button button--ghost reaction${r.mine ? " reaction--mine" : ""}`}
              aria-pressed={r.mine}
              disabled={!viewer || own}
              aria-label={t("forum.reactionNamed", { reaction: t(`forum.reaction.${kind}`), count: r.count, position: post.position })}
            >
              {t(`forum.reaction.${kind}`)} {r.count > 0 ? <span className="reaction__count">{r.count}</span> : null}
            </button>
          );
        })}
      </Form>
      {canReply ? (
        <button type="button" className="button button--ghost" onClick={() => quotePost(post.id)} aria-label={t("forum.quotePost", { position: post.position })}>
          {t("forum.quote")}
        </button>
      ) : null}
      {may.accept && post.position > 1 ? (
        <PostButtonForm post={post} intent={thread.solvedPostId === post.id ? "unaccept" : "accept"} className="button button--ghost">
          {thread.solvedPostId === post.id ? t("forum.unaccept") : t("forum.accept")}
        </PostButtonForm>
      ) : null}
      {can(viewer, "forumPost.edit", author) && editing?.id !== post.id ? (
        <Link to={`?from=${thread.page.from}&edit=${post.id}#post-${post.position}`} className="button button--ghost" aria-label={t("forum.editPost", { position: post.position })}>
          {t("forum.edit")}
        </Link>
      ) : null}
      {can(viewer, "forumPost.delete", author) ? (
        <PostButtonForm post={post} intent="delete" className="button button--ghost" label={t("forum.deletePost", { position: post.position })}>
          {t("forum.delete")}
        </PostButtonForm>
      ) : null}
      {can(viewer, "forumPost.flag", author) ? <FlagForm post={post} /> : null}
      {may.hide ? (
        <PostButtonForm post={post} intent="hide" className="button button--ghost" label={t("forum.hidePost", { position: post.position })}>
          {t("forum.hide")}
        </PostButtonForm>
      ) : null}
    </footer>
  );
}

/** Flagging a post for the moderators: a reason and an optional note, folded away until asked for. */
function FlagForm({ post }: { post: Post }) {
  const t = useT();
  return (
    <details className="flag">
      <summary className="button button--ghost" aria-label={t("forum.flagPost", { position: post.position })}>
        {t("forum.flag")}
      </summary>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="flag" />
        <input type="hidden" name="postId" value={post.id} />
        <fieldset className="checks">
          <legend>{t("forum.flagReason")}</legend>
          {FLAG_REASONS.map((reason, i) => (
            <div key={reason} className="check">
              <input type="radio" id={`flag-${post.id}-${reason}`} name="reason" value={reason} defaultChecked={i === 0} />
              <label htmlFor={`flag-${post.id}-${reason}`}>{t(`forum.flag.${reason}`)}</label>
            </div>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`flag-note-${post.id}`}>{t("forum.flagNote")}</label>
          <textarea id={`flag-note-${post.id}`} name="note" rows={2} maxLength={500} />
        </div>
        <button type="submit" className="button">
          {t("forum.flagSubmit")}
        </button>
      </Form>
    </details>
  );
}

/** A one-button form acting on a post; the position brings the reader back to it after the redirect. */
export function PostButtonForm({ post, intent, className, label, children }: { post: Post; intent: string; className: string; label?: string; children: ReactNode }) {
  return (
    <Form method="post">
      <input type="hidden" name="postId" value={post.id} />
      <input type="hidden" name="position" value={post.position} />
      <button type="submit" name="intent" value={intent} className={className} aria-label={label}>
        {children}
      </button>
    </Form>
  );
}
