/**
 * Community forums: categories, threads and replies. Starting a thread and
 * replying are commands (docs/decisions/017): each checks who may post,
 * applies Discourse-style rate limits, renders the markdown once (stored with
 * the renderer version), records the author's touchpoint in the same
 * transaction, and announces the new post after the commit.
 */
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import type { ForumPostEvent, ForumPostView, ServerToClientEvents } from "~/realtime/events";
import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";
import { uploadUrl } from "../storage/images.server";
import type { Actor } from "../policy/actor";
import { can } from "../policy/can";
import { defineCommand, type Steps } from "../commands/command.server";
import { fail, type Failure } from "../commands/failure";
import { hitRateLimit } from "../rate-limit/rate-limit.server";
import { markdownToText } from "../markdown/render.server";
import { notifyMentions, renderForumPost } from "./mentions.server";
import { newSortableId } from "../ids.server";
import { NewThreadSchema, ReplySchema } from "./forum-schemas";
import { announceReply, autoWatchThread } from "./watching.server";
import { POSTS_PER_PAGE, pageStartFor } from "./links";
import { readableCategoryWhere, readableThreadWhere, type ForumViewer } from "./category-access.server";

// Discourse's defaults as a guide: seconds between posts and between new
// threads, tighter for members who joined in the last day.
export const FORUM_LIMITS = {
  post: { regular: 5_000, newMember: 30_000 },
  thread: { regular: 15_000, newMember: 120_000 },
  duplicateWindowMs: 5 * 60_000,
  newMemberMs: 24 * 60 * 60_000,
};

export const threadRoom = (threadId: string) => `thread:${threadId}`;

const AUTHOR = { select: { id: true, displayName: true, username: true, avatarKey: true, role: true, deletedAt: true } } as const;

/** What a thread page shows of a post, whether loaded with the page or arrived live: one select, one shape. */
const POST_VIEW = {
  select: { id: true, position: true, bodyHtml: true, createdAt: true, editedAt: true, deletedAt: true, hiddenAt: true, quotePostId: true, author: AUTHOR },
} as const;

function threadPostView(p: Prisma.ForumPostGetPayload<typeof POST_VIEW>) {
  // Hidden and deleted posts keep their place but not their words.
  return { ...p, bodyHtml: p.deletedAt || p.hiddenAt ? "" : p.bodyHtml, author: { ...p.author, avatar: uploadUrl(p.author.avatarKey) } };
}

/** Live events that carry one post in its page shape; the page puts it in place of the one it shows. */
export type PostEventName = { [E in keyof ServerToClientEvents]: Parameters<ServerToClientEvents[E]>[0] extends ForumPostEvent ? E : never }[keyof ServerToClientEvents];

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The same view as the page's loader gives (dates as the page receives them), for the live emit. */
function livePostView(row: Prisma.ForumPostGetPayload<typeof POST_VIEW>): ForumPostView {
  const p = threadPostView(row);
  return { ...p, createdAt: p.createdAt.toISOString(), editedAt: iso(p.editedAt), deletedAt: iso(p.deletedAt), hiddenAt: iso(p.hiddenAt), author: { ...p.author, deletedAt: iso(p.author.deletedAt) } };
}

/** The categories this viewer may read: a staff-only one is not listed to anyone else. */
export async function listCategories(db: Db, viewer: ForumViewer) {
  const categories = await db.forumCategory.findMany({
    where: readableCategoryWhere(viewer),
    orderBy: [{ position: "asc" }, { slug: "asc" }],
    select: {
      id: true, slug: true, nameVi: true, nameEn: true, descriptionVi: true, descriptionEn: true, color: true, postingRole: true, readRole: true, position: true,
      _count: { select: { threads: { where: { deletedAt: null } } } },
    },
  });
  return categories.map(({ _count, ...c }) => ({ ...c, threadCount: _count.threads }));
}

export async function getCategoryBySlug(db: Db, viewer: ForumViewer, slug: string) {
  return db.forumCategory.findFirst({
    where: { slug, ...readableCategoryWhere(viewer) },
    select: { id: true, slug: true, nameVi: true, nameEn: true, descriptionVi: true, descriptionEn: true, color: true, postingRole: true, readRole: true },
  });
}

/** Threads this viewer may read, newest activity first, pinned on top of the first page, cursor-paginated. */
export async function listThreads(db: Db, viewer: ForumViewer, options: { categoryId?: string; before?: string | null; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 50);
  const cursor = options.before ? decodeThreadCursor(options.before) : null;
  const rows = await db.forumThread.findMany({
    where: {
      ...readableThreadWhere(viewer),
      ...(options.categoryId ? { categoryId: options.categoryId } : {}),
      ...(cursor
        ? { lastPostAt: { lte: cursor.at }, OR: [{ lastPostAt: { lt: cursor.at } }, { id: { lt: cursor.id } }] }
        : {}),
    },
    orderBy: [{ lastPostAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true, title: true, replyCount: true, lastPostAt: true, createdAt: true, pinnedAt: true, lockedAt: true, solvedPostId: true,
      author: AUTHOR,
      category: { select: { slug: true, nameVi: true, nameEn: true, color: true, readRole: true } },
    },
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: cursor ? items : [...items.filter((t) => t.pinnedAt), ...items.filter((t) => !t.pinnedAt)],
    nextCursor: rows.length > limit && last ? Buffer.from(`${last.lastPostAt.toISOString()}|${last.id}`).toString("base64url") : null,
  };
}

function decodeThreadCursor(value: string) {
  const [iso, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
  const at = new Date(iso ?? "");
  return id && !Number.isNaN(at.getTime()) ? { at, id } : null;
}

/** A live thread in a category the viewer may read, or null (a 404: whether it exists is not told). */
export async function getThread(db: Db, viewer: ForumViewer, threadId: string, options: { from?: number } = {}) {
  const from = pageStartFor(options.from ?? 1);
  const thread = await db.forumThread.findFirst({
    where: { id: threadId, ...readableThreadWhere(viewer) },
    select: {
      id: true, title: true, replyCount: true, createdAt: true, lockedAt: true, pinnedAt: true, solvedPostId: true,
      author: AUTHOR,
      category: { select: { id: true, slug: true, nameVi: true, nameEn: true, color: true, readRole: true } },
      posts: { where: { position: { gte: from } }, orderBy: { position: "asc" }, take: POSTS_PER_PAGE, ...POST_VIEW },
    },
  });
  if (!thread) return null;
  const total = thread.replyCount + 1;
  return {
    ...thread,
    page: { from, previous: from > 1 ? from - POSTS_PER_PAGE : null, next: from + POSTS_PER_PAGE <= total ? from + POSTS_PER_PAGE : null, total },
    posts: thread.posts.map(threadPostView),
  };
}

/**
 * Posting limits, checked in the posting transaction once the post is known to be well formed:
 * the same text again is a duplicate (and costs no slot), then one post per interval.
 */
async function postingRefusal(tx: Tx, actor: Actor, kind: "post" | "thread", body: string, now: Date): Promise<Failure | null> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: actor.id }, select: { createdAt: true } });
  const isNew = now.getTime() - user.createdAt.getTime() < FORUM_LIMITS.newMemberMs;
  const interval = FORUM_LIMITS[kind][isNew ? "newMember" : "regular"];
  const duplicate = await tx.forumPost.findFirst({
    where: { authorId: actor.id, bodyMarkdown: body, createdAt: { gte: new Date(now.getTime() - FORUM_LIMITS.duplicateWindowMs) } },
    select: { id: true },
  });
  if (duplicate) return fail.because("duplicate");
  const limit = await hitRateLimit(tx, `forum:${kind}:${actor.id}`, { max: 1, windowMs: interval }, now);
  return limit.allowed ? null : fail.rateLimited(limit.retryAfterSeconds);
}

const tooManyMentions = () => fail.field("body", "forum.tooManyMentions");

export const ThreadRef = z.object({ threadId: z.string().min(1).max(64) });

/** A live thread the actor may read, with what its commands decide on; any other is not found. */
export function readableThread(db: Db, actor: Actor, threadId: string) {
  return db.forumThread.findFirst({
    where: { id: threadId, ...readableThreadWhere(actor) },
    select: { id: true, title: true, authorId: true, categoryId: true, lockedAt: true },
  });
}

/**
 * After the commit, everyone reading the thread gets the post as a page load would show it
 * (read in the transaction: what committed, not a later state).
 */
export async function publishPost(steps: Pick<Steps, "tx" | "toRoom">, event: PostEventName, threadId: string, postId: string) {
  const row = await steps.tx.forumPost.findUniqueOrThrow({ where: { id: postId }, ...POST_VIEW });
  steps.toRoom(threadRoom(threadId), event, { threadId, post: livePostView(row) } satisfies ForumPostEvent);
}

export const startThread = defineCommand({
  name: "forum.start_thread",
  who: (actor) => can(actor, "forumThread.create"),
  input: NewThreadSchema,
  async run({ tx, now, actor, touchpoint }, { categoryId, title, body }) {
    // The category is one of the form's fields: one the writer may not read is a field error, as if it did not exist.
    const category = await tx.forumCategory.findFirst({ where: { id: categoryId, ...readableCategoryWhere(actor) }, select: { postingRole: true } });
    if (!category) return fail.field("categoryId", "forum.categoryRequired");
    if (!can(actor, "forumCategory.post", category)) return fail.notAllowed();
    const rendered = await renderForumPost(tx, body);
    if (rendered.tooManyMentions) return tooManyMentions();
    const refused = await postingRefusal(tx, actor, "thread", body, now);
    if (refused) return refused;

    const threadId = newSortableId(now);
    const postId = newSortableId(now);
    await tx.forumThread.create({ data: { id: threadId, categoryId, authorId: actor.id, title, lastPostAt: now, createdAt: now } });
    await tx.forumPost.create({
      data: { id: postId, threadId, authorId: actor.id, position: 1, bodyMarkdown: body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, createdAt: now },
    });
    await notifyMentions(tx, { postId, threadId, position: 1, authorId: actor.id, mentioned: rendered.mentioned });
    await touchpoint({ memberId: actor.id, kind: "forum.thread_started", actorId: actor.id, subject: { type: "forum_thread", id: threadId }, data: { title } });
    await autoWatchThread(tx, actor.id, threadId);
    return { ok: true, threadId };
  },
});

export const replyToThread = defineCommand({
  name: "forum.reply",
  ref: ThreadRef,
  load: (services, { threadId }, actor) => readableThread(services.db, actor, threadId),
  policy: (actor, thread) => can(actor, "forumThread.reply", thread) || fail.because("locked"),
  input: ReplySchema,
  async run(steps, { threadId, body, quotePostId }, thread) {
    const { tx, now, actor, touchpoint } = steps;
    const rendered = await renderForumPost(tx, body);
    if (rendered.tooManyMentions) return tooManyMentions();
    const refused = await postingRefusal(tx, actor, "post", body, now);
    if (refused) return refused;

    const postId = newSortableId(now);
    // Counting in the same transaction as the insert; the unique (threadId,
    // position) index turns a race into a retryable error, not a duplicate slot.
    const updated = await tx.forumThread.update({ where: { id: threadId }, data: { replyCount: { increment: 1 }, lastPostAt: now }, select: { replyCount: true } });
    const position = updated.replyCount + 1;
    await tx.forumPost.create({
      data: {
        id: postId, threadId, authorId: actor.id, position, bodyMarkdown: body, bodyHtml: rendered.html,
        rendererVersion: rendered.rendererVersion, quotePostId: quotePostId || null, createdAt: now,
      },
    });
    await touchpoint({ memberId: actor.id, kind: "forum.replied", actorId: actor.id, subject: { type: "forum_thread", id: threadId }, data: { title: thread.title } });
    await autoWatchThread(tx, actor.id, threadId);
    const mentioned = await notifyMentions(tx, { postId, threadId, position, authorId: actor.id, mentioned: rendered.mentioned });
    await announceReply(tx, { threadId, postId, position, authorId: actor.id, except: mentioned });
    // Read in the transaction: after the commit a lost connection would report a stored reply as
    // failed, and a retry (forum posts carry no client id) would post it twice. Everyone in the
    // room gets the same post; what differs per reader (their reactions, edit rights) the page works out.
    await publishPost(steps, "forum:post", threadId, postId);
    return { ok: true, postId, position };
  },
});

/** What a reply quotes: the first lines of the quoted post (in a thread the viewer may read), as markdown. */
export async function quoteOf(db: Db, viewer: ForumViewer, postId: string) {
  const post = await db.forumPost.findFirst({
    where: { id: postId, deletedAt: null, hiddenAt: null, thread: readableThreadWhere(viewer) },
    select: { bodyMarkdown: true, author: { select: { displayName: true, username: true, deletedAt: true } } },
  });
  if (!post) return null;
  const text = markdownToText(post.bodyMarkdown, 300);
  // A deleted account is quoted by its placeholder handle, which renders as "Former member" (ADR 013).
  return `> **${post.author.deletedAt ? `@${post.author.username}` : post.author.displayName}:** ${text}\n\n`;
}
