import type { Db } from "../services.server";
import { Prisma } from "~/generated/prisma/client";
import { htmlToText } from "../markdown/html-to-text";
import { readableThreadWhere, readsStaffCategories, type ForumViewer } from "./category-access.server";

/**
 * What the community sees of a member at /community/u/:username: public
 * contributions only. No email, company, phone or bio: those were given to
 * the business, not to the community. Counts and posts cover only the
 * categories the viewer may read.
 */
export async function getMemberCard(db: Db, viewer: ForumViewer, username: string) {
  const user = await db.user.findFirst({
    where: { username: username.toLowerCase(), deletedAt: null },
    select: { id: true, username: true, displayName: true, avatarKey: true, role: true, createdAt: true },
  });
  if (!user) return null;
  const readable = readableThreadWhere(viewer);
  const visible = { authorId: user.id, deletedAt: null, hiddenAt: null, thread: readable };
  const staffOnly = readsStaffCategories(viewer) ? Prisma.empty : Prisma.sql`AND c."readRole" = 'everyone'`;
  const [threads, replies, solutions, recent] = await Promise.all([
    db.forumThread.count({ where: { ...readable, authorId: user.id } }),
    db.forumPost.count({ where: { ...visible, position: { gt: 1 } } }),
    db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "ForumThread" t JOIN "ForumPost" p ON p."id" = t."solvedPostId"
      JOIN "ForumCategory" c ON c."id" = t."categoryId"
      WHERE p."authorId" = ${user.id} AND t."deletedAt" IS NULL AND p."deletedAt" IS NULL AND p."hiddenAt" IS NULL ${staffOnly}`,
    db.forumPost.findMany({
      where: visible,
      orderBy: { createdAt: "desc" },
      take: 20,
      select: { id: true, position: true, bodyHtml: true, createdAt: true, thread: { select: { id: true, title: true, solvedPostId: true } } },
    }),
  ]);
  return {
    ...user,
    // Solutions: threads whose accepted answer is this member's post.
    stats: { threads, replies, solutions: solutions[0]?.n ?? 0 },
    // From the stored HTML, which marks deleted members (ADR 013); the page names them.
    recent: recent.map(({ bodyHtml, ...post }) => ({ ...post, excerpt: excerpt(bodyHtml), solved: post.thread.solvedPostId === post.id })),
  };
}

function excerpt(html: string, maxLength = 160) {
  const text = htmlToText(html).replace(/\s+/g, " ");
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
