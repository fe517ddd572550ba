/**
 * Who may read a forum category (docs/decisions/006): everyone, or staff and
 * admins only. Every forum read and write puts these filters in its `where`,
 * so a thread in a category the viewer may not read is simply not found.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";
import type { ForumReadRole, Role } from "~/generated/prisma/enums";
import { ROLES } from "../policy/permissions";
import { readsCategory } from "../policy/rules/forums";

/** Whoever is reading: a signed-in user's role, or null for a visitor. */
export type ForumViewer = { role: Role } | null | undefined;

/** The policy decides (policy/rules/forums.ts); these filters put its answer in each query's `where`. */
export const readsStaffCategories = (viewer: ForumViewer) => readsCategory(viewer, { readRole: "staff" });

export const canReadCategory = readsCategory;

/** The categories this viewer may read. */
export function readableCategoryWhere(viewer: ForumViewer): Prisma.ForumCategoryWhereInput {
  return readsStaffCategories(viewer) ? {} : { readRole: "everyone" };
}

/** Threads in categories this viewer may read, deleted ones included (the review queue keeps their flags). */
export function threadInReadableCategory(viewer: ForumViewer): Prisma.ForumThreadWhereInput {
  return readsStaffCategories(viewer) ? {} : { category: { readRole: "everyone" } };
}

/** Live threads in categories this viewer may read. */
export function readableThreadWhere(viewer: ForumViewer): Prisma.ForumThreadWhereInput {
  return { deletedAt: null, ...threadInReadableCategory(viewer) };
}

/** Whether the viewer may read this live thread: the gate of its page, its actions, its watch and its live room. */
export async function findReadableThread(db: Db | Tx, viewer: ForumViewer, threadId: string) {
  if (!threadId) return null;
  return db.forumThread.findFirst({ where: { id: threadId, ...readableThreadWhere(viewer) }, select: { id: true, categoryId: true } });
}

/** The roles that may read a category with this read role (for notices to other people). */
export function rolesThatRead(readRole: ForumReadRole): Role[] {
  return ROLES.filter((role) => canReadCategory({ role }, { readRole }));
}

/**
 * Of these people, those who may read the thread now: notices (mentions,
 * replies) go to nobody else. Read at sending time, so a role that dropped
 * since the post was written drops the notice too.
 */
export async function readersOfThread(db: Db | Tx, threadId: string, userIds: string[]) {
  if (!userIds.length) return [];
  const thread = await db.forumThread.findUnique({ where: { id: threadId }, select: { category: { select: { readRole: true } } } });
  if (!thread) return [];
  if (thread.category.readRole === "everyone") return userIds;
  const readers = await db.user.findMany({ where: { id: { in: userIds }, role: { in: rolesThatRead(thread.category.readRole) } }, select: { id: true } });
  const allowed = new Set(readers.map((r) => r.id));
  return userIds.filter((id) => allowed.has(id));
}
