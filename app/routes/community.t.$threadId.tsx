import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { Avatar } from "~/components/avatar";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MarkdownEditor } from "~/components/markdown-editor";
import { CategoryDot } from "~/components/thread-list";
import { getThread, quoteOf, replyToThread } from "~/modules/forums/forums.server";
import { avatarUrl } from "~/modules/members/avatar.server";
import { useSocket, useSocketEvent } from "~/realtime/client";
import type { ForumPostEvent } from "~/realtime/events";
import { localized } from "~/utils/forum";
import { forumFailureToReply } from "~/utils/forum-errors.server";
import { requireUser } from "~/utils/auth.server";
import { formatDate, useLocale, useT } from "~/utils/i18n";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const thread = await getThread(context.services.db, params.threadId ?? "");
  if (!thread) throw new Response("Not found", { status: 404 });
  const quoteId = new URL(request.url).searchParams.get("quote");
  return {
    thread: {
      ...thread,
      posts: thread.posts.map((p) => ({ ...p, author: { ...p.author, avatar: avatarUrl(p.author.avatarKey) } })),
    },
    quote: quoteId && context.user ? await quoteOf(context.services.db, quoteId) : null,
    quoteId,
    viewer: context.user ? { id: context.user.id, role: context.user.role } : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const form = await request.formData();
  const body = String(form.get("body") ?? "");
  const quotePostId = String(form.get("quotePostId") ?? "") || undefined;
  const result = await replyToThread(context.services, { id: user.id, role: user.role }, params.threadId ?? "", { body, quotePostId });
  if (result.ok) return { ok: true as const, position: result.position, fieldErrors: {} as Record<string, string[]>, formError: null, body: "" };
  const reply = forumFailureToReply(result, context.locale);
  return data({ ok: false as const, position: 0, ...reply, body }, { status: reply.status });
}

type Post = ReturnType<typeof useLoaderData<typeof loader>>["thread"]["posts"][number];

export default function ThreadPage() {
  const t = useT();
  const locale = useLocale();
  const { thread, quote, quoteId, viewer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [, setSearchParams] = useSearchParams();
  const [live, setLive] = useState<ForumPostEvent["post"][]>([]);
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
      </p>
      <h1 id="thread-title">{thread.title}</h1>
      {locked ? <p className="notice">{t("forum.lockedNotice")}</p> : null}
      <ol className="posts">
        {thread.posts.map((post) => (
          <PostItem key={post.id} post={post} canQuote={canReply} onQuote={() => setSearchParams({ quote: post.id }, { preventScrollReset: true })} />
        ))}
        {live.filter((post) => !thread.posts.some((p) => p.id === post.id)).map((post) => (
          <li key={post.id} className="post card" id={`post-${post.position}`}>
            <header className="post__head">
              <Avatar name={post.author.displayName} url={null} size="sm" />
              <strong>{post.author.displayName}</strong>
              <span className="muted">{t("forum.postNumber", { position: post.position })}</span>
            </header>
            <div className="prose" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
          </li>
        ))}
      </ol>
      {canReply ? (
        <section className="card" aria-labelledby="reply-title">
          <h2 id="reply-title">{t("forum.replyTitle")}</h2>
          <Form method="post" className="stack" key={actionData?.ok ? `sent-${actionData.position}` : "reply"}>
            {actionData && !actionData.ok && actionData.formError ? (
              <p role="alert" className="notice notice--error">
                {actionData.formError}
              </p>
            ) : null}
            {quoteId ? <input type="hidden" name="quotePostId" value={quoteId} /> : null}
            <MarkdownEditor
              id="reply-body"
              name="body"
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

  function PostItem({ post, canQuote, onQuote }: { post: Post; canQuote: boolean; onQuote: () => void }) {
    const name = post.author.deletedAt ? t("member.former") : post.author.displayName;
    return (
      <li className="post card" id={`post-${post.position}`}>
        <header className="post__head">
          <Avatar name={name} url={post.author.avatar} size="sm" />
          <strong>{name}</strong>
          <span className="muted">
            <a href={`#post-${post.position}`}>{t("forum.postNumber", { position: post.position })}</a> ·{" "}
            <time dateTime={new Date(post.createdAt).toISOString()}>
              {formatDate(locale, post.createdAt, { dateStyle: "medium", timeStyle: "short" })}
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
          <div className="prose" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
        )}
        {canQuote && !post.deletedAt && !post.hiddenAt ? (
          <footer>
            <button type="button" className="button button--ghost" onClick={onQuote} aria-label={t("forum.quotePost", { position: post.position })}>
              {t("forum.quote")}
            </button>
          </footer>
        ) : null}
      </li>
    );
  }
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
