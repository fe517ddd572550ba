/**
 * @mentions: rendering a post resolves its "@handles" to members, and the
 * people mentioned are told once per post, even across edits (the
 * ForumMention primary key remembers who was already told). A mention
 * replaces the plain "new reply" notice for that person, as in Discourse.
 */
import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";
import { mentionCandidates, renderMarkdown } from "../markdown/render.server";
import { requestNotification } from "../notifications/notifications.server";
import { postLink } from "./links";
import type { Actor } from "../policy/actor";
import { readersOfThread, threadInReadableCategory } from "./category-access.server";

/** Discourse's max_mentions_per_post: beyond this a post reads as spam. */
export const MAX_MENTIONS_PER_POST = 10;

export interface MentionedUser {
  id: string;
  username: string;
}

/** Renders a forum post, linking the @handles of members who exist and marking those of deleted accounts. */
export async function renderForumPost(db: Db | Tx, body: string) {
  const candidates = mentionCandidates(body);
  const people = candidates.length
    ? await db.user.findMany({ where: { username: { in: candidates } }, select: { id: true, username: true, deletedAt: true } })
    : [];
  const mentioned: MentionedUser[] = people.filter((u) => !u.deletedAt).map(({ id, username }) => ({ id, username }));
  const former = people.filter((u) => u.deletedAt).map((u) => u.username);
  const rendered = renderMarkdown(body, "full", { mentions: mentioned.map((u) => u.username), former });
  return { ...rendered, mentioned, tooManyMentions: mentioned.length > MAX_MENTIONS_PER_POST };
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Inside the account deletion's transaction, after the account has its
 * placeholder handle: other people's posts that @mention the member, or
 * quote them under their name, now name the placeholder instead and are
 * rendered again, so they read "Former member" with no link and keep
 * neither the old handle nor the old name (ADR 013). Earlier versions kept
 * for moderators are rewritten the same way. The search index follows
 * through its update trigger.
 */
export async function forgetNameInPosts(tx: Tx, member: { id: string; username: string; displayName: string; placeholder: string }) {
  const handle = new RegExp(`(^|[^A-Za-z0-9_@./:])@${escapeRegExp(member.username)}(?![A-Za-z0-9_])`, "gi");
  const unmention = (markdown: string) => markdown.replace(handle, (_all, before: string) => `${before}@${member.placeholder}`);
  // The attribution quoteOf wrote: "> **Name:** …".
  const unquote = (markdown: string) => (member.displayName ? markdown.replaceAll(`**${member.displayName}:**`, `**@${member.placeholder}:**`) : markdown);
  const theirPosts = (await tx.forumPost.findMany({ where: { authorId: member.id }, select: { id: true } })).map((p) => p.id);
  const posts = await tx.forumPost.findMany({
    where: { authorId: { not: member.id }, OR: [{ mentions: { some: { userId: member.id } } }, { quotePostId: { in: theirPosts } }] },
    select: { id: true, bodyMarkdown: true, quotePostId: true },
  });
  const quotesThem = new Set(posts.filter((p) => p.quotePostId && theirPosts.includes(p.quotePostId)).map((p) => p.id));
  // Only where the post quotes this member's own words: someone else may share the name.
  const rewrite = (postId: string, markdown: string) => (quotesThem.has(postId) ? unquote(unmention(markdown)) : unmention(markdown));
  for (const post of posts) {
    const markdown = rewrite(post.id, post.bodyMarkdown);
    if (markdown === post.bodyMarkdown) continue;
    const rendered = await renderForumPost(tx, markdown);
    await tx.forumPost.update({ where: { id: post.id }, data: { bodyMarkdown: markdown, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion } });
  }
  const revisions = await tx.forumPostRevision.findMany({ where: { postId: { in: posts.map((p) => p.id) } }, select: { id: true, postId: true, bodyMarkdown: true } });
  for (const revision of revisions) {
    const markdown = rewrite(revision.postId, revision.bodyMarkdown);
    if (markdown !== revision.bodyMarkdown) await tx.forumPostRevision.update({ where: { id: revision.id }, data: { bodyMarkdown: markdown } });
  }
}

/**
 * Inside the posting (or editing) transaction: records the post's mentions
 * and asks for a notice to everyone newly mentioned, except the author,
 * anyone who muted the thread and anyone who may not read it (a staff-only
 * category). Returns who was told, so the reply fan-out can leave them out.
 */
export async function notifyMentions(
  tx: Tx,
  input: { postId: string; threadId: string; position: number; authorId: string; mentioned: MentionedUser[] },
) {
  const candidates = input.mentioned.map((u) => u.id).filter((id) => id !== input.authorId);
  if (!candidates.length) return [];
  const [already, muted] = await Promise.all([
    tx.forumMention.findMany({ where: { postId: input.postId, userId: { in: candidates } }, select: { userId: true } }),
    tx.forumThreadWatch.findMany({ where: { threadId: input.threadId, userId: { in: candidates }, level: "muted" }, select: { userId: true } }),
  ]);
  const skip = new Set([...already, ...muted].map((r) => r.userId));
  const fresh = await readersOfThread(tx, input.threadId, candidates.filter((id) => !skip.has(id)));
  // Muted and unable readers are recorded as mentioned too, so unmuting (or a later role) does not replay old mentions.
  await tx.forumMention.createMany({
    data: candidates.filter((id) => !already.some((a) => a.userId === id)).map((userId) => ({ postId: input.postId, userId })),
    skipDuplicates: true,
  });
  if (!fresh.length) return fresh;
  // Names for the notice, read only when someone is to be told.
  const [author, thread] = await Promise.all([
    tx.user.findUniqueOrThrow({ where: { id: input.authorId }, select: { displayName: true } }),
    tx.forumThread.findUniqueOrThrow({ where: { id: input.threadId }, select: { title: true } }),
  ]);
  for (const userId of fresh) {
    await requestNotification(tx, {
      userId,
      kind: "forum.mention",
      data: { name: author.displayName, title: thread.title },
      link: postLink(input.threadId, input.position),
    });
  }
  return fresh;
}

/** People to suggest after "@": handles or names starting with the prefix, this thread's people first (if the viewer may read it). */
export async function suggestMentions(db: Db, viewer: Actor, prefix: string, threadId?: string | null, limit = 8) {
  const term = prefix
    .replace(/^@/, "")
    .replace(/[^\p{L}\p{N}_ ]/gu, "")
    .trim()
    .toLowerCase();
  if (!term || term.length > 40) return [];
  const participants = threadId
    ? new Set(
        (await db.forumPost.findMany({ where: { threadId, deletedAt: null, thread: threadInReadableCategory(viewer) }, select: { authorId: true }, distinct: ["authorId"], take: 200 })).map(
          (p) => p.authorId,
        ),
      )
    : new Set<string>();
  const rows = await db.user.findMany({
    where: {
      deletedAt: null,
      id: { not: viewer.id },
      // Handles are unaccented, so "@chau" finds Phạm Minh Châu (@phamminhchau) too.
      OR: [{ username: { contains: term } }, { displayName: { contains: term, mode: "insensitive" } }],
    },
    orderBy: { username: "asc" },
    take: 50,
    select: { id: true, username: true, displayName: true, avatarKey: true },
  });
  // Thread participants first, then handles that start with what was typed, then the rest.
  const rank = (u: (typeof rows)[number]) => (participants.has(u.id) ? 0 : u.username.startsWith(term) ? 1 : 2);
  return rows.sort((a, b) => rank(a) - rank(b) || a.username.localeCompare(b.username)).slice(0, limit);
}
