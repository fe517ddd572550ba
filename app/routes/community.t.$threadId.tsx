import { data, redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod";
import { Fragment, useCallback, useEffect, useState } from "react";
import { z } from "zod";
import { Avatar } from "~/components/avatar";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MarkdownEditor } from "~/components/markdown-editor";
import { CategoryDot, StaffOnlyBadge } from "~/components/thread-list";
import { getThread, listCategories, quoteOf, replyToThread } from "~/modules/forums/forums.server";
import { findReadableThread } from "~/modules/forums/category-access.server";
import { FLAG_REASONS, REACTION_KINDS } from "~/modules/forums/forum-schemas";
import {
  deletePost,
  editPost,
  markAnswerAccepted,
  moderateThread,
  postRevisions,
  reactionSummary,
  renameOrMoveThread,
  setPostHidden,
  THREAD_MODERATION,
  toggleReaction,
} from "~/modules/forums/post-actions.server";
import { can } from "~/modules/policy/can";
import type { Actor } from "~/modules/policy/actor";
import { fail, type Failure, type FieldErrors, type Ok } from "~/modules/commands/failure";
import { setThreadWatch, watchLevelOf } from "~/modules/forums/watching.server";
import { flagPost } from "~/modules/forums/flags.server";
import { lastReadPosition, markThreadRead } from "~/modules/forums/reading.server";
import { WatchControl } from "~/components/watch-control";
import { useSocket, useSocketEvent } from "~/realtime/client";
import type { ForumPostEvent, ForumPostView, ForumThreadMovedEvent } from "~/realtime/events";
import { localized, pageStartFor } from "~/utils/forum";
import { nameFormerMembers } from "~/utils/former-member";
import { refuse } from "~/utils/refusal.server";
import { requireUser } from "~/utils/auth.server";
import { useDates, useLocale, useT } from "~/utils/i18n";
import { translateError } from "~/i18n/translate";

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
  const reactions = await reactionSummary(context.services, thread.posts.map((p) => p.id), viewer?.id ?? null);
  const editing = editId ? thread.posts.find((p) => p.id === editId && !p.deletedAt && can(viewer, "forumPost.edit", { authorId: p.author.id })) : undefined;
  const editSource = editing
    ? (await context.services.db.forumPost.findUnique({ where: { id: editing.id }, select: { bodyMarkdown: true } }))?.bodyMarkdown
    : undefined;
  const revisions = can(viewer, "forumPost.history")
    ? Object.fromEntries(
        await Promise.all(
          thread.posts.filter((p) => p.editedAt).map(async (p) => [p.id, (await postRevisions(context.services, viewer!, p.id)) ?? []] as const),
        ),
      )
    : {};
  const moderate = can(viewer, "forumThread.moderate");
  return {
    categories: moderate ? await listCategories(context.services.db, viewer) : [],
    // The first post this reader has not seen (0: everything is new, or nothing is).
    firstUnread: viewer && previouslyRead > 0 && lastPosition > previouslyRead ? previouslyRead + 1 : 0,
    watchLevel: viewer ? await watchLevelOf(context.services.db, viewer.id, { threadId: thread.id }) : null,
    reactions,
    editing: editing ? { id: editing.id, body: editSource ?? "" } : null,
    revisions,
    may: {
      moderate,
      hide: can(viewer, "forumPost.hide"),
      accept: can(viewer, "forumThread.acceptAnswer", { authorId: thread.author.id }),
      reply: can(viewer, "forumThread.reply", thread),
    },
    thread,
    quote: quoteId && viewer ? await quoteOf(context.services.db, viewer, quoteId) : null,
    quoteId,
    viewer,
  };
}

const postFields = { postId: z.string().max(64), position: z.number().int().min(1).optional() };
// Conform reads an empty field as absent; the commands decide what an empty text means.
const text = z.string().default("");

/** The page's forms, each an intent: parsed once, then one command runs it. */
const ThreadIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("reply"), body: text, quotePostId: z.string().max(64).optional() }),
  z.object({ intent: z.literal("watch"), level: text }),
  z.object({ intent: z.literal("rename-move"), title: text, categoryId: z.string().max(64).optional() }),
  z.object({ intent: z.literal("flag"), ...postFields, reason: text, note: z.string().optional() }),
  z.object({ intent: z.literal("react"), ...postFields, kind: text }),
  z.object({ intent: z.literal("accept"), ...postFields }),
  z.object({ intent: z.literal("unaccept"), ...postFields, postId: z.string().max(64).optional() }),
  z.object({ intent: z.literal("edit"), ...postFields, body: text }),
  z.object({ intent: z.literal("delete"), ...postFields }),
  z.object({ intent: z.enum(["hide", "restore"]), ...postFields }),
  z.object({ intent: z.enum(THREAD_MODERATION) }),
]);
type ThreadIntent = z.infer<typeof ThreadIntent>;
type Ran = Ok<{ position?: number; threadDeleted?: boolean; hidden?: boolean }> | Failure;

/** Each intent to its command, with the same fields a socket or a test would pass. */
function runIntent(services: AppLoadContext["services"], actor: Actor, threadId: string, intent: ThreadIntent): Promise<Ran> {
  switch (intent.intent) {
    case "reply":
      return replyToThread(services, actor, { threadId, body: intent.body, quotePostId: intent.quotePostId });
    case "watch":
      return setThreadWatch(services, actor, { threadId, level: intent.level });
    case "rename-move":
      return renameOrMoveThread(services, actor, { threadId, title: intent.title, categoryId: intent.categoryId });
    case "flag":
      return flagPost(services, actor, { postId: intent.postId, reason: intent.reason, note: intent.note });
    case "react":
      return toggleReaction(services, actor, { postId: intent.postId, kind: intent.kind });
    case "accept":
      return markAnswerAccepted(services, actor, { threadId, postId: intent.postId });
    case "unaccept":
      return markAnswerAccepted(services, actor, { threadId, postId: null });
    case "edit":
      return editPost(services, actor, { postId: intent.postId, body: intent.body });
    case "delete":
      return deletePost(services, actor, { postId: intent.postId });
    case "hide":
    case "restore":
      return setPostHidden(services, actor, { postId: intent.postId, hidden: intent.intent === "hide" });
    default:
      return moderateThread(services, actor, { threadId, action: intent.intent });
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const threadId = params.threadId ?? "";
  // Every intent, before "log in": a thread the viewer may not read is not found (the commands check again).
  if (!(await findReadableThread(context.services.db, context.user, threadId))) throw new Response("Not found", { status: 404 });
  const { user } = requireUser(context, request);
  const formData = await request.formData();
  // The reply form is the page's plain form: a post without an intent is a reply.
  if (!formData.get("intent")) formData.set("intent", "reply");
  const submission = parseWithZod(formData, { schema: ThreadIntent });
  const said = { intent: String(formData.get("intent")), position: 0, body: "", flagged: false };
  if (submission.status !== "success") return refuse(fail.invalid(), context.locale, { ok: false as const, ...said }, { messages: "forum.actionError" });
  const intent = submission.value;
  const self = `/community/t/${threadId}`;
  const ran = await runIntent(context.services, { id: user.id, role: user.role }, threadId, intent);
  if (!ran.ok) {
    const reply = intent.intent === "reply";
    // A refused reply keeps its text; its messages are the posting ones ("too fast", "locked").
    return refuse(ran, context.locale, { ok: false as const, ...said, body: reply ? intent.body : "" }, { messages: reply ? "forum.postError" : "forum.actionError" });
  }
  const done = { ok: true as const, ...said, fieldErrors: {} as FieldErrors, formError: null };
  switch (intent.intent) {
    case "reply": {
      const position = ran.position ?? 1;
      // A reply that starts a new page: go there, so the writer sees it.
      const onPage = pageStartFor(Number(new URL(request.url).searchParams.get("from") ?? "1") || 1);
      if (pageStartFor(position) !== onPage) throw redirect(`${self}?from=${pageStartFor(position)}#post-${position}`);
      return data({ ...done, position });
    }
    case "flag":
      return data({ ...done, flagged: true });
    case "watch":
    case "rename-move":
      throw redirect(self);
    default: {
      if (ran.threadDeleted) throw redirect("/community");
      // Back to the same page of the thread (and out of edit mode), as a plain form post would.
      const position = ("position" in intent ? intent.position : undefined) ?? 1;
      throw redirect(`${self}?from=${pageStartFor(position)}${intent.intent === "edit" ? "" : `#post-${position}`}`);
    }
  }
}

/** Loaded and live posts alike: the loader's posts are this shape (a live one is emitted in it). */
type Post = ForumPostView<Date | string>;
export default function ThreadPage() {
  const t = useT();
  const locale = useLocale();
  const dates = useDates();
  const { thread: loaded, quote, quoteId, viewer, reactions, editing, revisions, may, watchLevel, firstUnread, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [, setSearchParams] = useSearchParams();
  const [live, setLive] = useState<Post[]>([]);
  // Posts changed since the page loaded (edited, hidden, restored, deleted), each as the server
  // now shows it: a live change renders as a reload would.
  const [changed, setChanged] = useState<Record<string, Post>>({});
  const [moved, setMoved] = useState<ForumThreadMovedEvent | null>(null);
  const [gone, setGone] = useState<"unreadable" | "deleted" | null>(null);
  const socket = useSocket(!!viewer);
  const thread = moved ? { ...loaded, title: moved.title, category: moved.category } : loaded;
  const current = (post: Post) => changed[post.id] ?? post;
  const solvedPost = thread.posts.find((p) => p.id === thread.solvedPostId);

  useEffect(() => setLive([]), [thread.posts.length]);
  // A reload (after this reader's own action, say) already shows every change.
  useEffect(() => {
    setChanged({});
    setMoved(null);
    setGone(null);
  }, [loaded]);
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
  const onChange = useCallback(
    (event: ForumPostEvent) => {
      if (event.threadId === loaded.id) setChanged((posts) => ({ ...posts, [event.post.id]: event.post }));
    },
    [loaded.id],
  );
  useSocketEvent(socket, "forum:post_edited", onChange);
  useSocketEvent(socket, "forum:post_hidden", onChange);
  useSocketEvent(socket, "forum:post_restored", onChange);
  useSocketEvent(socket, "forum:post_deleted", onChange);
  const onMoved = useCallback((event: ForumThreadMovedEvent) => event.threadId === loaded.id && setMoved(event), [loaded.id]);
  useSocketEvent(socket, "forum:thread_moved", onMoved);
  const onGone = useCallback((event: { threadId: string; reason: "unreadable" | "deleted" }) => event.threadId === loaded.id && setGone(event.reason), [loaded.id]);
  useSocketEvent(socket, "forum:thread_gone", onGone);

  const category = localized(thread.category, locale);
  const locked = !!thread.lockedAt;
  const canReply = may.reply && !gone;
  return (
    <article className="stack" aria-labelledby="thread-title">
      <p>
        <Link to={`/community/c/${thread.category.slug}`}>
          <CategoryDot color={thread.category.color} /> {category.name}
        </Link>
        {thread.category.readRole === "staff" ? <> <StaffOnlyBadge /></> : null}
      </p>
      <h1 id="thread-title">{thread.title}</h1>
      {gone ? (
        <p role="alert" className="notice notice--error">
          {t(`forum.threadGone.${gone}`)}
        </p>
      ) : null}
      {watchLevel ? <WatchControl level={watchLevel} label={t("forum.watch.label")} /> : null}
      {locked ? <p className="notice">{t("forum.lockedNotice")}</p> : null}
      {solvedPost ? (
        <p className="notice notice--success">
          <a href={`#post-${solvedPost.position}`}>{t("forum.solvedBy", { name: solvedPost.author.displayName || t("member.former") })}</a>
        </p>
      ) : null}
      {may.moderate ? (
        <Form method="post" className="toolbar" aria-label={t("forum.moderation")}>
          <button type="submit" name="intent" value={thread.pinnedAt ? "unpin" : "pin"} className="button">
            {thread.pinnedAt ? t("forum.unpin") : t("forum.pin")}
          </button>
          <button type="submit" name="intent" value={thread.lockedAt ? "unlock" : "lock"} className="button">
            {thread.lockedAt ? t("forum.unlock") : t("forum.lock")}
          </button>
        </Form>
      ) : null}
      {may.moderate ? (
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
      {actionData && !actionData.ok && actionData.intent !== "reply" ? (
        <p role="alert" className="notice notice--error">
          {actionData.formError ?? translateError(t, Object.values(actionData.fieldErrors)[0]?.[0] ?? "forum.actionError.invalid")}
        </p>
      ) : null}
      {renderPageLinks()}
      <ol className="posts">
        {thread.posts.map((post) => (
          <Fragment key={post.id}>
            {renderPost({ post: current(post), canQuote: canReply, onQuote: () => quotePost(post.id) })}
          </Fragment>
        ))}
        {/* New posts appear live only on the last page; earlier pages link onward. */}
        {thread.page.next
          ? null
          : live
              .filter((post) => !thread.posts.some((p) => p.id === post.id))
              .map((post) => <Fragment key={post.id}>{renderPost({ post: current(post), canQuote: canReply, onQuote: () => quotePost(post.id) })}</Fragment>)}
      </ol>
      {renderPageLinks()}
      {canReply ? (
        <section className="card" aria-labelledby="reply-title">
          <h2 id="reply-title">{t("forum.replyTitle")}</h2>
          <Form method="post" className="stack" key={`${actionData?.ok ? `sent-${actionData.position}` : "reply"}-${thread.page.from}`}>
            <input type="hidden" name="intent" value="reply" />
            {actionData && !actionData.ok && actionData.intent === "reply" && actionData.formError ? (
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
              defaultValue={actionData && !actionData.ok && actionData.intent === "reply" ? actionData.body : (quote ?? "")}
              errors={actionData && !actionData.ok && actionData.intent === "reply" ? actionData.fieldErrors.body : undefined}
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
            {may.accept && post.position > 1 ? (
              <Form method="post">
                <input type="hidden" name="postId" value={post.id} />
                <input type="hidden" name="position" value={post.position} />
                <button type="submit" name="intent" value={thread.solvedPostId === post.id ? "unaccept" : "accept"} className="button button--ghost">
                  {thread.solvedPostId === post.id ? t("forum.unaccept") : t("forum.accept")}
                </button>
              </Form>
            ) : null}
            {can(viewer, "forumPost.edit", { authorId: post.author.id }) && editing?.id !== post.id ? (
              <Link to={`?from=${thread.page.from}&edit=${post.id}#post-${post.position}`} className="button button--ghost" aria-label={t("forum.editPost", { position: post.position })}>
                {t("forum.edit")}
              </Link>
            ) : null}
            {can(viewer, "forumPost.delete", { authorId: post.author.id }) ? (
              <Form method="post">
                <input type="hidden" name="postId" value={post.id} />
                <input type="hidden" name="position" value={post.position} />
                <button type="submit" name="intent" value="delete" className="button button--ghost" aria-label={t("forum.deletePost", { position: post.position })}>
                  {t("forum.delete")}
                </button>
              </Form>
            ) : null}
            {can(viewer, "forumPost.flag", { authorId: post.author.id }) ? (
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
            {may.hide ? (
              <Form method="post">
                <input type="hidden" name="postId" value={post.id} />
                <input type="hidden" name="position" value={post.position} />
                <button type="submit" name="intent" value="hide" className="button button--ghost" aria-label={t("forum.hidePost", { position: post.position })}>
                  {t("forum.hide")}
                </button>
              </Form>
            ) : null}
          </footer>
        ) : post.hiddenAt && may.hide ? (
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
