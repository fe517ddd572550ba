import { data, redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs } from "@remix-run/node";
import { parseWithZod } from "@conform-to/zod";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ActionNotice } from "~/components/thread/action-notice";
import { PageLinks } from "~/components/thread/page-links";
import { ReplyForm } from "~/components/thread/reply-form";
import { ThreadHeader } from "~/components/thread/thread-header";
import { ThreadModeration } from "~/components/thread/thread-moderation";
import { ThreadPost } from "~/components/thread/thread-post";
import { useThreadPage } from "~/components/thread/use-thread-page";
import { getThread, listCategories, quoteOf, replyToThread } from "~/modules/forums/forums.server";
import { findReadableThread } from "~/modules/forums/category-access.server";
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
import { pageStartFor } from "~/utils/forum";
import { refuse } from "~/utils/refusal.server";
import { requireUser } from "~/utils/auth.server";

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

export default function ThreadPage() {
  const view = useThreadPage();
  const { thread, posts, livePosts, may } = view;
  return (
    <article className="stack" aria-labelledby="thread-title">
      <ThreadHeader {...view} />
      {may.moderate ? <ThreadModeration {...view} /> : null}
      <ActionNotice {...view} />
      <PageLinks page={thread.page} shown={thread.posts.length} />
      <ol className="posts">
        {[...posts, ...livePosts].map((post) => (
          <ThreadPost key={post.id} {...view} post={post} />
        ))}
      </ol>
      <PageLinks page={thread.page} shown={thread.posts.length} />
      <ReplyForm {...view} />
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
