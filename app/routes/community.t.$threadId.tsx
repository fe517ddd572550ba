import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Fragment, useCallback, useEffect, useState } from "react";
import { Avatar } from "~/components/avatar";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MarkdownEditor } from "~/components/markdown-editor";
import { CategoryDot, StaffOnlyBadge } from "~/components/thread-list";
import { getThread, listCategories, quoteOf, replyToThread } from "~/modules/forums/forums.server";
import { findReadableThread } from "~/modules/forums/category-access.server";
import { REACTION_KINDS } from "~/modules/forums/forum-schemas";
import {
  renameOrMoveThread,
  deletePost,
  editPost,
  markAnswerAccepted,
  moderateThread,
  postRevisions,
  reactionSummary,
  setPostHidden,
  toggleReaction,
} from "~/modules/forums/post-actions.server";
import { hasPermission } from "~/modules/policy/permissions";
import { setThreadWatch, watchLevelOf } from "~/modules/forums/watching.server";
import { flagPost } from "~/modules/forums/flags.server";
import { lastReadPosition, markThreadRead } from "~/modules/forums/reading.server";
import { FLAG_REASONS } from "~/modules/forums/forum-schemas";
import { WatchControl, parseWatchLevel } from "~/components/watch-control";
import { useSocket, useSocketEvent } from "~/realtime/client";
import type { ForumPostEvent, ForumPostView } from "~/realtime/events";
import { localized, pageStartFor } from "~/utils/forum";
import { nameFormerMembers } from "~/utils/former-member";
import { forumFailureToReply } from "~/utils/forum-errors.server";
import { requireUser } from "~/utils/auth.server";
import { useDates, useLocale, useT } from "~/utils/i18n";
import type { MessageKey } from "~/i18n/en";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const from = Number(new URL(request.url).searchParams.get("from") ?? "1") || 1;
  // A thread in a category the viewer may not read is a 404, as if it did not exist.
  const thread = await getThread(context.services.db, context.user, params.threadId ?? "", { from });
  if (!thread) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const quoteId = url.searchParams.get("quote");
  const editId = url.searchParams.get("edit");
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const previouslyRead = viewer ? await lastReadPosition(context.services.db, viewer.id, thread.id) : 0;
  const lastPosition = thread.posts.at(-1)?.position ?? 0;
  if (viewer && lastPosition > previouslyRead) await markThreadRead(context.services.db, viewer.id, thread.id, lastPosition);
  const moderator = hasPermission(viewer, "post:hide:any");
  const reactions = await reactionSummary(context.services, thread.posts.map((p) => p.id), viewer?.id ?? null);
  const editing = editId ? thread.posts.find((p) => p.id === editId && !p.deletedAt && (p.author.id === viewer?.id || moderator)) : undefined;
  const editSource = editing
    ? (await context.services.db.forumPost.findUnique({ where: { id: editing.id }, select: { bodyMarkdown: true } }))?.bodyMarkdown
    : undefined;
  const revisions = moderator
    ? Object.fromEntries(
        await Promise.all(
          thread.posts.filter((p) => p.editedAt).map(async (p) => [p.id, (await postRevisions(context.services, viewer!, p.id)) ?? []] as const),
        ),
      )
    : {};
  return {
    categories: hasPermission(viewer, "thread:lock:any") ? await listCategories(context.services.db, viewer) : [],
    // The first post this reader has not seen (0: everything is new, or nothing is).
    firstUnread: viewer && previouslyRead > 0 && lastPosition > previouslyRead ? previouslyRead + 1 : 0,
    watchLevel: viewer ? await watchLevelOf(context.services.db, viewer.id, { threadId: thread.id }) : null,
    reactions,
    editing: editing ? { id: editing.id, body: editSource ?? "" } : null,
    revisions,
    can: {
      moderate: hasPermission(viewer, "thread:lock:any"),
      hide: moderator,
      accept: !!viewer && (viewer.id === thread.author.id || viewer.role === "staff" || viewer.role === "admin"),
    },
    thread,
    quote: quoteId && viewer ? await quoteOf(context.services.db, viewer, quoteId) : null,
    quoteId,
    viewer,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const threadId = params.threadId ?? "";
  // Every intent, before "log in": a thread the viewer may not read is not found (the modules check again).
  if (!(await findReadableThread(context.services.db, context.user, threadId))) throw new Response("Not found", { status: 404 });
  const { user } = requireUser(context, request);
  const actor = { id: user.id, role: user.role };
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "reply");
  const postId = String(form.get("postId") ?? "");
  if (intent === "watch") {
    const level = parseWatchLevel(form.get("level"));
    if (!level) throw new Response("Unknown watch level.", { status: 400 });
    if (!(await setThreadWatch(context.services, actor, threadId, level))) throw new Response("Not found", { status: 404 });
    throw redirect(`/community/t/${threadId}`);
  }
  if (intent === "rename-move") {
    const result = await renameOrMoveThread(context.services, actor, threadId, {
      title: String(form.get("title") ?? ""),
      categoryId: String(form.get("categoryId") ?? "") || undefined,
    });
    if (!result.ok) {
      return data(
        { ok: false as const, position: 0, fieldErrors: {} as Record<string, string[] | undefined>, formError: null, intentError: (result.error === "invalid" ? "forum.titleTooShort" : "error.403.title") as MessageKey, body: "", flagged: false },
        { status: result.error === "notAllowed" ? 403 : result.error === "notFound" ? 404 : 400 },
      );
    }
    throw redirect(`/community/t/${threadId}`);
  }
  if (intent === "flag") {
    const result = await flagPost(context.services, actor, postId, { reason: String(form.get("reason") ?? ""), note: String(form.get("note") ?? "") });
    if (!result.ok) {
      const message: MessageKey = result.error === "alreadyFlagged" ? "forum.alreadyFlagged" : result.error === "ownPost" ? "forum.ownPost" : "error.400.title";
      return data(
        { ok: false as const, position: 0, fieldErrors: {} as Record<string, string[] | undefined>, formError: null, intentError: message, body: "", flagged: false },
        { status: result.error === "notFound" ? 404 : 400 },
      );
    }
    return { ok: true as const, position: 0, fieldErrors: {} as Record<string, string[]>, formError: null, intentError: null, body: "", flagged: true };
  }
  if (intent !== "reply") {
    const result =
      intent === "react"
        ? await toggleReaction(context.services, actor, postId, String(form.get("kind") ?? ""))
        : intent === "accept"
          ? await markAnswerAccepted(context.services, actor, threadId, postId)
          : intent === "unaccept"
            ? await markAnswerAccepted(context.services, actor, threadId, null)
            : intent === "edit"
              ? await editPost(context.services, actor, postId, String(form.get("body") ?? ""))
              : intent === "delete"
                ? await deletePost(context.services, actor, postId)
                : intent === "hide" || intent === "restore"
                  ? await setPostHidden(context.services, actor, postId, intent === "hide")
                  : await moderateThread(context.services, actor, threadId, intent);
    if (!result.ok) {
      const status = result.error === "notAllowed" ? 403 : result.error === "notFound" ? 404 : 400;
      const message = result.error === "ownPost" ? "forum.ownPost" : result.error === "invalid" && "fieldErrors" in result ? "forum.bodyTooShort" : `error.${status === 403 ? "403" : status === 404 ? "404" : "400"}.title`;
      return data(
        { ok: false as const, position: 0, fieldErrors: {} as Record<string, string[] | undefined>, formError: null, intentError: message as MessageKey, body: "", flagged: false },
        { status },
      );
    }
    if ("threadDeleted" in result && result.threadDeleted) throw redirect("/community");
    // Back to the same page of the thread (and out of edit mode), as a plain form post would.
    const position = Number(form.get("position") ?? "") || 1;
    throw redirect(`/community/t/${threadId}?from=${pageStartFor(position)}${intent === "edit" ? "" : `#post-${position}`}`);
  }
  const body = String(form.get("body") ?? "");
  const quotePostId = String(form.get("quotePostId") ?? "") || undefined;
  const result = await replyToThread(context.services, { id: user.id, role: user.role }, params.threadId ?? "", { body, quotePostId });
  const onPage = pageStartFor(Number(new URL(request.url).searchParams.get("from") ?? "1") || 1);
  // A reply that starts a new page: go there, so the writer sees it.
  if (result.ok && pageStartFor(result.position) !== onPage) {
    throw redirect(`/community/t/${threadId}?from=${pageStartFor(result.position)}#post-${result.position}`);
  }
  if (result.ok) return { ok: true as const, position: result.position, fieldErrors: {} as Record<string, string[]>, formError: null, intentError: null, body: "", flagged: false };
  const reply = forumFailureToReply(result, context.locale);
  return data({ ok: false as const, position: 0, ...reply, intentError: null, body, flagged: false }, { status: reply.status });
}

/** Loaded and live posts alike: the loader's posts are this shape (a live one is emitted in it). */
type Post = ForumPostView<Date | string>;

export default function ThreadPage() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { thread, quote, quoteId, viewer, reactions, editing, revisions, can, watchLevel, firstUnread, categories } = useLoaderData<typeof loader>();
  const solvedPost = thread.posts.find((p) => p.id === thread.solvedPostId);
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [, setSearchParams] = useSearchParams();
  const [live, setLive] = useState<Post[]>([]);
  const socket = useSocket(!!viewer);

  useEffect(() => setLive([]), [thread.posts.length]);
  useEffect(() => {
    if (!socket) return;
    const watch = () => socket.emit("thread:watch", { threadId: thread.id }, () => {});
    watch();
    // Rejoin the room after a reconnect; the page's own posts come from the loader.
    socket.on("connect", watch);
    return () => {
      socket.off("connect", watch);
      socket.emit("thread:unwatch", { threadId: thread.id });
    };
  }, [socket, thread.id]);
  const onPost = useCallback(
    (event: ForumPostEvent) => {
      if (event.threadId !== thread.id) return;
      setLive((current) =>
        current.some((p) => p.id === event.post.id) || thread.posts.some((p) => p.id === event.post.id) ? current : [...current, event.post],
      );
    },
    [thread.id, thread.posts],
  );
  useSocketEvent(socket, "forum:post", onPost);

  const category = localized(thread.category, locale);
  const locked = !!thread.lockedAt;
  const canReply = !!viewer && (!locked || viewer.role !== "member");
  return (
    <article className="stack" aria-labelledby="thread-title">
      <p>
        <Link to={`/community/c/${thread.category.slug}`}>
          <CategoryDot color={thread.category.color} /> {category.name}
        </Link>
        {thread.category.readRole === "staff" ? <> <StaffOnlyBadge /></> : null}
      </p>
      <h1 id="thread-title">{thread.title}</h1>
      {watchLevel ? <WatchControl level={watchLevel} label={t("forum.watch.label")} /> : null}
      {locked ? <p className="notice">{t("forum.lockedNotice")}</p> : null}
      {solvedPost ? (
        <p className="notice notice--success">
          <a href={`#post-${solvedPost.position}`}>{t("forum.solvedBy", { name: solvedPost.author.displayName || t("member.former") })}</a>
        </p>
      ) : null}
      {can.moderate ? (
        <Form method="post" className="toolbar" aria-label={t("forum.moderation")}>
          <button type="submit" name="intent" value={thread.pinnedAt ? "unpin" : "pin"} className="button">
            {thread.pinnedAt ? t("forum.unpin") : t("forum.pin")}
          </button>
          <button type="submit" name="intent" value={thread.lockedAt ? "unlock" : "lock"} className="button">
            {thread.lockedAt ? t("forum.unlock") : t("forum.lock")}
          </button>
        </Form>
      ) : null}
      {can.moderate ? (
        <details>
          <summary>{t("forum.renameMove")}</summary>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="rename-move" />
            <div className="field">
              <label htmlFor="rename-title">{t("forum.threadTitle")}</label>
              <input id="rename-title" name="title" defaultValue={thread.title} minLength={8} maxLength={140} required />
            </div>
            <div className="field">
              <label htmlFor="move-category">{t("forum.category")}</label>
              <select id="move-category" name="categoryId" defaultValue={thread.category.id}>
                {categories.map((c) => (
                  <option key={c.id} value={c.id}>
                    {localized(c, locale).name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button">
              {t("common.save")}
            </button>
          </Form>
        </details>
      ) : null}
      {actionData && "flagged" in actionData && actionData.flagged ? (
        <p role="status" className="notice notice--success">
          {t("forum.flagged")}
        </p>
      ) : null}
      {actionData && !actionData.ok && actionData.intentError ? (
        <p role="alert" className="notice notice--error">
          {t(actionData.intentError)}
        </p>
      ) : null}
      {renderPageLinks()}
      <ol className="posts">
        {thread.posts.map((post) => (
          <Fragment key={post.id}>
            {renderPost({ post, canQuote: canReply, onQuote: () => quotePost(post.id) })}
          </Fragment>
        ))}
        {/* New posts appear live only on the last page; earlier pages link onward. */}
        {thread.page.next
          ? null
          : live
              .filter((post) => !thread.posts.some((p) => p.id === post.id))
              .map((post) => <Fragment key={post.id}>{renderPost({ post, canQuote: canReply, onQuote: () => quotePost(post.id) })}</Fragment>)}
      </ol>
      {renderPageLinks()}
      {canReply ? (
        <section className="card" aria-labelledby="reply-title">
          <h2 id="reply-title">{t("forum.replyTitle")}</h2>
          <Form method="post" className="stack" key={`${actionData?.ok ? `sent-${actionData.position}` : "reply"}-${thread.page.from}`}>
            {actionData && !actionData.ok && actionData.formError ? (
              <p role="alert" className="notice notice--error">
                {actionData.formError}
              </p>
            ) : null}
            {quoteId ? <input type="hidden" name="quotePostId" value={quoteId} /> : null}
            <MarkdownEditor
              id="reply-body"
              name="body"
              threadId={thread.id}
              label={t("forum.body")}
              rows={5}
              defaultValue={actionData && !actionData.ok ? actionData.body : (quote ?? "")}
              errors={actionData && !actionData.ok ? actionData.fieldErrors.body : undefined}
            />
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("forum.reply")}
            </button>
          </Form>
        </section>
      ) : !viewer ? (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(`/community/t/${thread.id}`)}`}>{t("forum.loginToReply")}</Link>
        </p>
      ) : null}
    </article>
  );

  function quotePost(postId: string) {
    setSearchParams(
      (params) => {
        params.set("quote", postId);
        return params;
      },
      { preventScrollReset: true },
    );
  }

  // Plain render functions, not nested components: a nested component type is
  // new on every render, and React would remount it (losing what is being typed).
  function renderPageLinks() {
    if (!thread.page.previous && !thread.page.next) return null;
    return (
      <nav className="toolbar" aria-label={t("forum.pages")}>
        {thread.page.previous ? (
          <Link to={`?from=${thread.page.previous}`} className="button">
            {t("forum.earlier")}
          </Link>
        ) : null}
        <span className="muted">
          {t("forum.pageRange", { from: thread.page.from, to: Math.min(thread.page.from + thread.posts.length - 1, thread.page.total), total: thread.page.total })}
        </span>
        {thread.page.next ? (
          <Link to={`?from=${thread.page.next}`} className="button">
            {t("forum.later")}
          </Link>
        ) : null}
      </nav>
    );
  }

  function renderPost({ post, canQuote, onQuote }: { post: Post; canQuote: boolean; onQuote: () => void }) {
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
            {canQuote ? (
              <button type="button" className="button button--ghost" onClick={onQuote} aria-label={t("forum.quotePost", { position: post.position })}>
                {t("forum.quote")}
              </button>
            ) : null}
            {can.accept && post.position > 1 ? (
              <Form method="post">
                <input type="hidden" name="postId" value={post.id} />
                <input type="hidden" name="position" value={post.position} />
                <button type="submit" name="intent" value={thread.solvedPostId === post.id ? "unaccept" : "accept"} className="button button--ghost">
                  {thread.solvedPostId === post.id ? t("forum.unaccept") : t("forum.accept")}
                </button>
              </Form>
            ) : null}
            {viewer && (post.author.id === viewer.id || can.hide) && editing?.id !== post.id ? (
              <Link to={`?from=${thread.page.from}&edit=${post.id}#post-${post.position}`} className="button button--ghost" aria-label={t("forum.editPost", { position: post.position })}>
                {t("forum.edit")}
              </Link>
            ) : null}
            {viewer && (post.author.id === viewer.id || can.hide) ? (
              <Form method="post">
                <input type="hidden" name="postId" value={post.id} />
                <input type="hidden" name="position" value={post.position} />
                <button type="submit" name="intent" value="delete" className="button button--ghost" aria-label={t("forum.deletePost", { position: post.position })}>
                  {t("forum.delete")}
                </button>
              </Form>
            ) : null}
            {viewer && post.author.id !== viewer.id ? (
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
            ) : null}
            {can.hide ? (
              <Form method="post">
                <input type="hidden" name="postId" value={post.id} />
                <input type="hidden" name="position" value={post.position} />
                <button type="submit" name="intent" value="hide" className="button button--ghost" aria-label={t("forum.hidePost", { position: post.position })}>
                  {t("forum.hide")}
                </button>
              </Form>
            ) : null}
          </footer>
        ) : post.hiddenAt && can.hide ? (
          <Form method="post">
            <input type="hidden" name="postId" value={post.id} />
            <input type="hidden" name="position" value={post.position} />
            <button type="submit" name="intent" value="restore" className="button" aria-label={t("forum.restorePost", { position: post.position })}>
              {t("forum.restore")}
            </button>
          </Form>
        ) : null}
        {thread.solvedPostId === post.id ? <p className="badge badge--member">{t("forum.acceptedAnswer")}</p> : null}
      </li>
    );
  }
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
