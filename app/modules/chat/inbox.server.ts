/**
 * The staff inbox and the unread badges: which conversations a staff member
 * sees (their members', those of managers they cover, everyone's for
 * admins), how many wait unread, and telling open tabs when that changed.
 */
import { Prisma } from "~/generated/prisma/client";
import type { Db, Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { managersCoveredBy, possibleCoverers } from "../presence/coverage.server";
import { isStaffRole, isAdminRole } from "../policy/permissions";

type ChatServices = Pick<Services, "db" | "realtime" | "clock">;

/**
 * The staff inbox: conversations of the members assigned to this staff
 * member (admins: everyone), by last activity, with unread counts and how
 * long the member has been waiting. While they cover for managers who are
 * not online, it also holds those managers' waiting conversations (and the
 * ones they answered in the last day), marked with whom they cover for.
 */
export async function listInbox(services: ChatServices, actor: Actor, options: { status?: "open" | "resolved" | "all"; limit?: number } = {}) {
  if (!isStaffRole(actor.role)) return [];
  const { db } = services;
  const covered = isAdminRole(actor.role) ? [] : await managersCoveredBy(services, actor);
  const dayAgo = new Date(services.clock.now().getTime() - 86_400_000);
  const rows = await db.conversation.findMany({
    where: {
      lastMessageAt: { not: null },
      ...(isAdminRole(actor.role)
        ? {}
        : {
            OR: [
              { member: { accountManagerId: actor.id } },
              ...(covered.length
                ? [{
                    member: { accountManagerId: { in: covered.map((m) => m.id) } },
                    OR: [{ waitingSince: { not: null } }, { messages: { some: { senderId: actor.id, createdAt: { gte: dayAgo } } } }],
                  }]
                : []),
            ],
          }),
      ...(options.status && options.status !== "all" ? { status: options.status } : {}),
    },
    orderBy: { lastMessageAt: "desc" },
    take: Math.min(options.limit ?? 100, 200),
    select: {
      id: true, status: true, lastSeq: true, lastMessageAt: true, waitingSince: true,
      member: { select: { id: true, displayName: true, avatarKey: true, company: true, accountManagerId: true, accountManager: { select: { displayName: true } } } },
      messages: { where: { kind: "message" }, orderBy: { seq: "desc" }, take: 1, select: { body: true, senderId: true } },
    },
  });
  const unread = await unreadFromMembers(db, actor.id, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    lastMessageAt: r.lastMessageAt!.toISOString(),
    waitingSince: r.waitingSince?.toISOString() ?? null,
    member: { id: r.member.id, displayName: r.member.displayName, avatarKey: r.member.avatarKey, company: r.member.company, manager: r.member.accountManager?.displayName ?? null },
    coveringFor: !isAdminRole(actor.role) && r.member.accountManagerId !== actor.id ? (r.member.accountManager?.displayName ?? null) : null,
    preview: r.messages[0]?.body.slice(0, 140) ?? "",
    lastFromMember: r.messages[0]?.senderId === r.member.id,
    unread: unread.get(r.id) ?? 0,
  }));
}

/** Per conversation: the member's messages after this viewer's read position, in one query. */
async function unreadFromMembers(db: Db, viewerId: string, conversationIds: string[]) {
  if (!conversationIds.length) return new Map<string, number>();
  const rows = await db.$queryRaw<{ conversationId: string; n: number }[]>`
    SELECT m."conversationId", count(*)::int AS n
    FROM "ChatMessage" m
    JOIN "Conversation" c ON c."id" = m."conversationId"
    LEFT JOIN "ChatRead" r ON r."conversationId" = c."id" AND r."userId" = ${viewerId}
    WHERE c."id" = ANY(${conversationIds}) AND m."senderId" = c."memberId" AND m."kind" = 'message'
      AND m."seq" > COALESCE(r."lastReadSeq", 0)
    GROUP BY m."conversationId"`;
  return new Map(rows.map((r) => [r.conversationId, r.n]));
}

/**
 * The staff Inbox link's badge: open conversations in this staff member's
 * inbox with member messages they have not read. Those of managers they
 * cover count while the member is waiting for an answer, as the inbox lists
 * them; admins, who see every conversation, count every one.
 */
export async function staffInboxUnread(services: ChatServices, actor: Actor) {
  if (!isStaffRole(actor.role)) return 0;
  const covered = isAdminRole(actor.role) ? [] : (await managersCoveredBy(services, actor)).map((m) => m.id);
  const mine =
    isAdminRole(actor.role)
      ? Prisma.empty
      : Prisma.sql`AND (u."accountManagerId" = ${actor.id} OR (u."accountManagerId" = ANY(${covered}) AND c."waitingSince" IS NOT NULL))`;
  const [row] = await services.db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n
    FROM "Conversation" c
    JOIN "User" u ON u."id" = c."memberId"
    LEFT JOIN "ChatRead" r ON r."conversationId" = c."id" AND r."userId" = ${actor.id}
    WHERE c."status" = 'open' AND c."lastMessageAt" IS NOT NULL ${mine}
      AND EXISTS (
        SELECT 1 FROM "ChatMessage" m
        WHERE m."conversationId" = c."id" AND m."senderId" = c."memberId" AND m."kind" = 'message'
          AND m."seq" > COALESCE(r."lastReadSeq", 0))`;
  return row?.n ?? 0;
}

/** Tells these staff members' tabs that their inbox changed, and their Inbox badge's new count. */
export async function tellStaffInbox(services: Services, userIds: Iterable<string>, conversationId: string) {
  const ids = [...new Set(userIds)];
  for (const userId of ids) services.realtime.toUser(userId, "inbox:changed", { conversationId });
  // Counted only for those with a tab open: the others get theirs with their next page.
  const online = await services.realtime.onlineUsers(ids);
  if (!online.size) return;
  const staff = await services.db.user.findMany({ where: { id: { in: [...online] } }, select: { id: true, role: true } });
  for (const member of staff) services.realtime.toUser(member.id, "inbox:unread", { unread: await staffInboxUnread(services, member) });
}

/** The member's unread staff replies: the launcher's badge. */
export async function memberUnread(db: Db, memberId: string) {
  // One statement: the root loader asks this on every page a member opens.
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n
    FROM "Conversation" c
    JOIN "ChatMessage" m ON m."conversationId" = c."id"
    LEFT JOIN "ChatRead" r ON r."conversationId" = c."id" AND r."userId" = ${memberId}
    WHERE c."memberId" = ${memberId} AND m."kind" = 'message' AND m."senderId" <> ${memberId}
      AND m."seq" > COALESCE(r."lastReadSeq", 0)`;
  return row?.n ?? 0;
}

/**
 * Tells the staff who may see this conversation in their inbox (manager,
 * admins, whoever could cover the manager), and the member's tabs, that it
 * changed. Staff who cannot see it refetch an unchanged list: harmless.
 */
export async function announceInbox(
  services: Services,
  conversationId: string,
  known?: { memberId: string; managerId: string | null; memberUnreadChanged: boolean },
) {
  const conversation = known
    ? { memberId: known.memberId, managerId: known.managerId }
    : await services.db.conversation
        .findUnique({ where: { id: conversationId }, select: { memberId: true, member: { select: { accountManagerId: true } } } })
        .then((c) => (c ? { memberId: c.memberId, managerId: c.member.accountManagerId } : null));
  if (!conversation) return;
  const { managerId } = conversation;
  const [admins, coverers] = await Promise.all([adminIds(services.db, services.clock.now()), managerId ? possibleCoverers(services.db, managerId) : []]);
  await tellStaffInbox(services, [managerId, ...admins, ...coverers].filter((id): id is string => !!id), conversationId);
  if (known && !known.memberUnreadChanged) return;
  services.realtime.toUser(conversation.memberId, "chat:unread", { unread: await memberUnread(services.db, conversation.memberId) });
}

/**
 * Admins see every conversation, so every message tells them. Their ids are
 * read at most every 30 s per process, not per message: a new admin's inbox
 * goes live within that.
 */
let adminCache: { at: number; db: Db; ids: string[] } | null = null;
async function adminIds(db: Db, now: Date) {
  if (adminCache && adminCache.db === db && now.getTime() - adminCache.at < 30_000 && now.getTime() >= adminCache.at) return adminCache.ids;
  const ids = (await db.user.findMany({ where: { role: "admin", deletedAt: null }, select: { id: true } })).map((a) => a.id);
  adminCache = { at: now.getTime(), db, ids };
  return ids;
}

