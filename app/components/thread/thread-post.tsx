import { Form, Link } from "@remix-run/react";
import { Avatar } from "~/components/avatar";
import { MarkdownEditor } from "~/components/markdown-editor";
import { nameFormerMembers } from "~/utils/former-member";
import { useDates, useT } from "~/utils/i18n";
import { PostActions, PostButtonForm } from "./post-actions";
import type { Post, ThreadPageView } from "./use-thread-page";

export type PostProps = { post: Post } & Pick<
  ThreadPageView,
  "thread" | "firstUnread" | "editing" | "revisions" | "reactions" | "viewer" | "may" | "canReply" | "quotePost"
>;

/** One post: its author, body (or why it is not shown), edit form, history and actions. */
export function ThreadPost(props: PostProps) {
  const { post, thread, firstUnread, editing, revisions, may } = props;
  const t = useT();
  const dates = useDates();
  const name = post.author.deletedAt ? t("member.former") : post.author.displayName;
  return (
    <li className="post card" id={`post-${post.position}`}>
      {post.position === firstUnread ? <p className="unread-marker">{t("forum.firstUnread")}</p> : null}
      <header className="post__head">
        <Avatar name={name} url={post.author.avatar} size="sm" />
        <strong>{post.author.deletedAt ? name : <Link to={`/community/u/${post.author.username}`}>{name}</Link>}</strong>
        <span className="muted">
          <a href={`#post-${post.position}`}>{t("forum.postNumber", { position: post.position })}</a> ·{" "}
          <time dateTime={new Date(post.createdAt).toISOString()}>
            {dates.dateTime(post.createdAt)}
          </time>
          {post.editedAt ? ` · ${t("forum.edited")}` : ""}
        </span>
      </header>
      {post.deletedAt ? (
        <p className="muted">{t("forum.deletedPost")}</p>
      ) : post.hiddenAt ? (
        <p className="muted">{t("forum.hiddenPost")}</p>
      ) : (
        // Safe: rendered and stored by our markdown renderer (html: false).
        <div className="prose" dangerouslySetInnerHTML={{ __html: nameFormerMembers(post.bodyHtml, t("member.former")) }} />
      )}
      {editing?.id === post.id ? (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="edit" />
          <input type="hidden" name="postId" value={post.id} />
          <input type="hidden" name="position" value={post.position} />
          <MarkdownEditor id={`edit-${post.id}`} name="body" threadId={thread.id} label={t("forum.editPost", { position: post.position })} defaultValue={editing.body} rows={5} />
          <button type="submit" className="button button--primary">
            {t("forum.saveEdit")}
          </button>
        </Form>
      ) : null}
      {revisions[post.id]?.length ? (
        <details>
          <summary>{t("forum.history")}</summary>
          <ol className="history">
            {revisions[post.id]!.map((r) => (
              <li key={r.id}>
                <time dateTime={new Date(r.replacedAt).toISOString()}>{dates.dateTime(r.replacedAt)}</time>
                <pre className="mail__body">{r.bodyMarkdown}</pre>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {!post.deletedAt && !post.hiddenAt ? (
        <PostActions {...props} />
      ) : post.hiddenAt && may.hide ? (
        <PostButtonForm post={post} intent="restore" className="button" label={t("forum.restorePost", { position: post.position })}>
          {t("forum.restore")}
        </PostButtonForm>
      ) : null}
      {thread.solvedPostId === post.id ? <p className="badge badge--member">{t("forum.acceptedAnswer")}</p> : null}
    </li>
  );
}
