/**
 * Live chat between a member and their own account manager. One
 * conversation per member; it follows the member, so a new manager inherits
 * the history. Every function checks who may act, on every call: the socket
 * layer only translates events into these calls.
 *
 * Never lose, never duplicate: a message is committed before it is
 * acknowledged; its (sender, clientId) pair is unique, so a retried send
 * returns the stored message; seqs are taken under the conversation's row
 * lock, so they follow commit order and "after seq N" never skips one.
 */
import { z } from "zod";
import { Prisma } from "~/generated/prisma/client";
import type { Db, Services } from "../services.server";
import type { Tx } from "../db-types.server";
import type { Actor } from "../members/access.server";
import { newSortableId } from "../ids.server";
import { renderMarkdown } from "../markdown/render.server";
import { hitRateLimits } from "../rate-limit/rate-limit.server";
import { recordTouchpoint } from "../timeline/touchpoints.server";
import { requestNotification } from "../notifications/notifications.server";
import { enqueueOutboxEvent, type OutboxHandler } from "../outbox/outbox.server";
import type { ChatMessageView } from "./chat-types";
import { coverageOf, coversFor, managersCoveredBy, possibleCoverers, presenceOf } from "../presence/coverage.server";

export const CHAT_BODY_MAX = 4_000;
export const HISTORY_PAGE = 50;
/** Staff replies the member has not read after this long are emailed to them. */
export const UNREAD_EMAIL_DELAY_MS = 3 * 60_000;

/** A burst allowance, then a steady rate: two windows checked together. */
export const CHAT_LIMITS = {
  burst: { max: 8, windowMs: 10_000 },
  steady: { max: 40, windowMs: 60_000 },
};

export const chatRoom = (conversationId: string) => `chat:${conversationId}`;
/** Notes and staff-only events go here; members never join it. */
export const chatStaffRoom = (conversationId: string) => `chat:${conversationId}:staff`;

/** "backup": covering for the member's manager while the manager is not online. */
export type ChatRole = "member" | "manager" | "backup" | "admin";

export type ChatFailure =
  | { ok: false; error: "invalid"; message: string }
  | { ok: false; error: "notFound"; message: string }
  | { ok: false; error: "forbidden"; message: string }
  | { ok: false; error: "rateLimited"; message: string; retryAfterSeconds: number };

const fail = {
  invalid: (message: string): ChatFailure => ({ ok: false, error: "invalid", message }),
  // The same answer for "no such conversation" and "not yours": ids are not probed.
  notFound: (): ChatFailure => ({ ok: false, error: "notFound", message: "No such conversation." }),
  forbidden: (message: string): ChatFailure => ({ ok: false, error: "forbidden", message }),
};

export const SendSchema = z.object({
  conversationId: z.string().min(1).max(64),
  clientId: z.string().min(8, "clientId must be 8 to 64 characters.").max(64, "clientId must be 8 to 64 characters.").regex(/^[A-Za-z0-9_-]+$/, "clientId may hold letters, digits, - and _ only."),
  body: z
    .string()
    .transform((v) => v.trim())
    .pipe(z.string().min(1, "The message is empty.").max(CHAT_BODY_MAX, `A message holds at most ${CHAT_BODY_MAX} characters.`)),
  note: z.boolean().optional(),
});

const MESSAGE_SELECT = {
  id: true, seq: true, kind: true, bodyHtml: true, clientId: true, createdAt: true, conversationId: true, data: true,
  sender: { select: { id: true, displayName: true, role: true, avatarKey: true } },
} as const;

type MessageRow = {
  id: string;
  seq: number;
  kind: "message" | "note" | "event";
  bodyHtml: string;
  clientId: string;
  data: unknown;
  createdAt: Date;
  conversationId: string;
  sender: { id: string; displayName: string; role: string; avatarKey: string | null } | null;
};

export type { ChatMessageView };

export function toView(row: MessageRow): ChatMessageView {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    kind: row.kind,
    bodyHtml: row.bodyHtml,
    clientId: row.clientId,
    createdAt: row.createdAt.toISOString(),
    ...(row.kind === "event" ? { event: row.data as ChatMessageView["event"] } : {}),
    sender: row.sender ? { id: row.sender.id, displayName: row.sender.displayName, isStaff: row.sender.role === "staff" || row.sender.role === "admin" } : null,
  };
}

type ChatServices = Pick<Services, "db" | "realtime" | "clock">;

/**
 * Who the actor is in this conversation, or null: the member themself, the
 * member's account manager, whoever covers that manager while they are not
 * online, or an admin. Everyone else is refused.
 */
export async function chatRole(services: ChatServices, actor: Actor, conversationId: string): Promise<{ role: ChatRole; memberId: string } | null> {
  const conversation = await services.db.conversation.findUnique({
    where: { id: conversationId },
    select: {
      memberId: true,
      member: { select: { accountManagerId: true, deletedAt: true, accountManager: { select: { coverage: { select: { backupId: true } } } } } },
    },
  });
  if (!conversation || conversation.member.deletedAt) return null;
  const { memberId, member } = conversation;
  if (memberId === actor.id) return { role: "member", memberId };
  if (actor.role === "admin") return { role: "admin", memberId };
  if (actor.role !== "staff" || !member.accountManagerId) return null;
  if (member.accountManagerId === actor.id) return { role: "manager", memberId };
  const coverage = member.accountManager?.coverage ?? null;
  if (coverage && (await coversFor(services, actor, member.accountManagerId, coverage))) return { role: "backup", memberId };
  return null;
}

/** The member's own conversation, made on first use. */
export async function ensureOwnConversation(db: Db, memberId: string) {
  const existing = await db.conversation.findUnique({ where: { memberId }, select: { id: true } });
  if (existing) return existing.id;
  const id = newSortableId();
  await db.conversation.createMany({ data: [{ id, memberId }], skipDuplicates: true });
  return (await db.conversation.findUniqueOrThrow({ where: { memberId }, select: { id: true } })).id;
}

export async function sendMessage(
  services: Services,
  actor: Actor,
  input: unknown,
): Promise<{ ok: true; message: ChatMessageView; duplicate: boolean } | ChatFailure> {
  const parsed = SendSchema.safeParse(input);
  if (!parsed.success) return fail.invalid(parsed.error.issues[0]?.message ?? "Invalid message.");
  const { conversationId, clientId, body, note } = parsed.data;
  const access = await chatRole(services, actor, conversationId);
  if (!access) return fail.notFound();
  if (note && access.role === "member") return fail.forbidden("Members cannot write private notes.");

  // A retry of a message we already stored: the same answer, nothing new.
  const stored = await services.db.chatMessage.findUnique({ where: { senderId_clientId: { senderId: actor.id, clientId } }, select: MESSAGE_SELECT });
  if (stored) {
    if (stored.conversationId !== conversationId) return fail.invalid("This clientId was already used for another conversation.");
    return { ok: true, message: toView(stored), duplicate: true };
  }

  const now = services.clock.now();
  const limited = await hitRateLimits(services.db, [CHAT_LIMITS.burst, CHAT_LIMITS.steady].map((limit) => ({ key: `chat:${limit.windowMs}:${actor.id}`, limit })), now);
  if (!limited.allowed) {
    return { ok: false, error: "rateLimited", retryAfterSeconds: limited.retryAfterSeconds, message: `You are sending too fast. Try again in ${limited.retryAfterSeconds} s.` };
  }

  const rendered = renderMarkdown(body, "chat");
  const kind = note ? "note" : "message";
  const fromStaff = access.role !== "member";
  let memberId = access.memberId;
  let managerId: string | null = null;
  try {
    const message = await services.db.$transaction(async (tx) => {
      // The row lock serializes this conversation's senders: seqs follow commit order.
      const [current] = await tx.$queryRaw<{ waitingSince: Date | null; status: string; memberId: string; managerId: string | null; timezone: string }[]>`
        SELECT c."waitingSince", c."status"::text AS "status", c."memberId", u."accountManagerId" AS "managerId", u."timezone"
        FROM "Conversation" c JOIN "User" u ON u."id" = c."memberId"
        WHERE c."id" = ${conversationId} FOR UPDATE OF c`;
      if (!current) throw new Error("conversation vanished");
      memberId = current.memberId;
      managerId = current.managerId;
      const waitingSince = current.waitingSince ? new Date(current.waitingSince) : null;
      const { lastSeq } = await tx.conversation.update({
        where: { id: conversationId },
        data: {
          lastSeq: { increment: 1 },
          ...(kind === "message"
            ? fromStaff
              ? { lastMessageAt: now, waitingSince: null }
              : { lastMessageAt: now, waitingSince: waitingSince ?? now, ...(current.status === "resolved" ? { status: "open", resolvedAt: null, resolvedById: null } : {}) }
            : {}),
        },
        select: { lastSeq: true },
      });
      const row = await tx.chatMessage.create({
        data: {
          id: newSortableId(now), conversationId, seq: lastSeq, senderId: actor.id, clientId, kind,
          body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, createdAt: now,
          // This reply ended a wait: kept for "usually replies within …" and the dashboard.
          responseSeconds: kind === "message" && fromStaff && waitingSince ? Math.max(0, Math.round((now.getTime() - waitingSince.getTime()) / 1000)) : null,
        },
        select: MESSAGE_SELECT,
      });
      // The sender has read everything up to their own message.
      await markReadTx(tx, conversationId, actor.id, row.seq, now);
      if (kind === "message") {
        await countInSession(tx, { conversationId, memberId: current.memberId, timezone: current.timezone, fromStaff, waitingSince, now });
        if (fromStaff) {
          // Emailed to the member if still unread after a few minutes (see unreadReplyHandler).
          await enqueueOutboxEvent(tx, CHAT_REPLY_SENT, { conversationId, seq: row.seq, memberId: current.memberId }, new Date(now.getTime() + UNREAD_EMAIL_DELAY_MS));
        } else if (current.managerId) {
          await enqueueOutboxEvent(tx, CHAT_MEMBER_WROTE, { conversationId, seq: row.seq, memberId: current.memberId, managerId: current.managerId });
        }
      }
      return row;
    });
    const view = toView(message);
    services.realtime.toRoom(kind === "note" ? chatStaffRoom(conversationId) : chatRoom(conversationId), "chat:message", view);
    if (kind === "message") services.outbox.kick();
    // Only a staff message changes the member's unread count. Not awaited: the message is stored,
    // and badge counts (a query per online staff member) must neither delay the sender's ack nor
    // turn it into a failure when the database drops just after the commit.
    void announceInbox(services, conversationId, { memberId, managerId, memberUnreadChanged: kind === "message" && fromStaff }).catch((error: unknown) =>
      services.logger.warn({ err: error, conversationId }, "inbox announcement failed"),
    );
    return { ok: true, message: view, duplicate: false };
  } catch (error) {
    // Two tabs retried the same clientId at once: the loser returns the winner's message.
    if ((error as { code?: string }).code === "P2002") {
      const winner = await services.db.chatMessage.findUnique({ where: { senderId_clientId: { senderId: actor.id, clientId } }, select: MESSAGE_SELECT });
      if (winner) return { ok: true, message: toView(winner), duplicate: true };
    }
    throw error;
  }
}

export const CHAT_MEMBER_WROTE = "chat.member_wrote";
export const CHAT_REPLY_SENT = "chat.reply_sent";

/**
 * One touchpoint per conversation and day (in the member's time zone), kept
 * up to date: how many messages, and how long the first answer took.
 */
async function countInSession(
  tx: Tx,
  input: { conversationId: string; memberId: string; timezone: string; fromStaff: boolean; waitingSince: Date | null; now: Date },
) {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: input.timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(input.now);
  const existing = await tx.touchpoint.findFirst({
    where: { memberId: input.memberId, kind: "chat.session", subjectType: "conversation", subjectId: input.conversationId, occurredAt: { gte: new Date(input.now.getTime() - 36 * 3_600_000) } },
    orderBy: { occurredAt: "desc" },
    select: { id: true, data: true },
  });
  const data = (existing?.data ?? {}) as { day?: string; messages?: number; firstResponseSeconds?: number | null };
  if (existing && data.day === day) {
    const firstResponseSeconds =
      data.firstResponseSeconds == null && input.fromStaff && input.waitingSince
        ? Math.round((input.now.getTime() - input.waitingSince.getTime()) / 1000)
        : (data.firstResponseSeconds ?? null);
    const minutes = firstResponseSeconds == null ? "—" : String(Math.max(1, Math.round(firstResponseSeconds / 60)));
    await tx.touchpoint.update({
      where: { id: existing.id },
      data: { data: { ...data, messages: (data.messages ?? 0) + 1, firstResponseSeconds, minutes }, occurredAt: input.now },
    });
    return;
  }
  await recordTouchpoint(tx, {
    memberId: input.memberId,
    kind: "chat.session",
    actorId: null,
    subject: { type: "conversation", id: input.conversationId },
    data: { day, messages: 1, firstResponseSeconds: null, minutes: "—" },
    at: input.now,
  });
}

async function markReadTx(tx: Tx, conversationId: string, userId: string, seq: number, now: Date) {
  // Reads only move forward, whatever order the receipts arrive in.
  await tx.$executeRaw`
    INSERT INTO "ChatRead" ("conversationId", "userId", "lastReadSeq", "readAt") VALUES (${conversationId}, ${userId}, ${seq}, ${now})
    ON CONFLICT ("conversationId", "userId") DO UPDATE SET "lastReadSeq" = EXCLUDED."lastReadSeq", "readAt" = EXCLUDED."readAt"
    WHERE "ChatRead"."lastReadSeq" < EXCLUDED."lastReadSeq"`;
}

export const ReadSchema = z.object({ conversationId: z.string().min(1).max(64), seq: z.number().int().min(0) });

export async function markRead(services: Services, actor: Actor, input: unknown): Promise<{ ok: true; seq: number } | ChatFailure> {
  const parsed = ReadSchema.safeParse(input);
  if (!parsed.success) return fail.invalid("A read receipt needs a conversationId and a seq.");
  const access = await chatRole(services, actor, parsed.data.conversationId);
  if (!access) return fail.notFound();
  const conversation = await services.db.conversation.findUniqueOrThrow({ where: { id: parsed.data.conversationId }, select: { lastSeq: true } });
  const seq = Math.min(parsed.data.seq, conversation.lastSeq);
  const now = services.clock.now();
  await services.db.$transaction((tx) => markReadTx(tx, parsed.data.conversationId, actor.id, seq, now));
  const read = await services.db.chatRead.findUniqueOrThrow({ where: { conversationId_userId: { conversationId: parsed.data.conversationId, userId: actor.id } } });
  services.realtime.toRoom(chatRoom(parsed.data.conversationId), "chat:read", {
    conversationId: parsed.data.conversationId,
    userId: actor.id,
    isStaff: access.role !== "member",
    seq: read.lastReadSeq,
    at: read.readAt.toISOString(),
  });
  if (access.role !== "member") await announceInbox(services, parsed.data.conversationId);
  // The member's other tabs and the launcher's badge.
  else services.realtime.toUser(actor.id, "chat:unread", { unread: await memberUnread(services.db, actor.id) });
  return { ok: true, seq: read.lastReadSeq };
}

export const HistorySchema = z.object({
  conversationId: z.string().min(1).max(64),
  /** Older than this seq (scrolling up). */
  before: z.number().int().min(1).optional(),
  /** Newer than this seq (catching up after a reconnect). */
  after: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});

/** A page of messages; members never see notes. */
export async function history(services: ChatServices, actor: Actor, input: unknown) {
  const parsed = HistorySchema.safeParse(input);
  if (!parsed.success) return fail.invalid("History needs a conversationId and optional before/after seqs.");
  const access = await chatRole(services, actor, parsed.data.conversationId);
  if (!access) return fail.notFound();
  return { ok: true as const, ...(await readPage(services.db, access.role, parsed.data)) };
}

/** A page of messages for a role already checked. */
async function readPage(db: Db, role: ChatRole, input: z.infer<typeof HistorySchema>) {
  const { conversationId, before, after } = input;
  const limit = input.limit ?? HISTORY_PAGE;
  const kindFilter = role === "member" ? { kind: { in: ["message" as const, "event" as const] } } : {};
  if (after !== undefined) {
    const rows = await db.chatMessage.findMany({
      where: { conversationId, seq: { gt: after }, ...kindFilter },
      orderBy: { seq: "asc" },
      take: limit + 1,
      select: MESSAGE_SELECT,
    });
    return { messages: rows.slice(0, limit).map(toView), more: rows.length > limit };
  }
  const rows = await db.chatMessage.findMany({
    where: { conversationId, ...(before ? { seq: { lt: before } } : {}), ...kindFilter },
    orderBy: { seq: "desc" },
    take: limit + 1,
    select: MESSAGE_SELECT,
  });
  return { messages: rows.slice(0, limit).reverse().map(toView), more: rows.length > limit };
}

/** What a participant needs to open the conversation: the other side, reads, and the latest page. */
export async function openConversation(services: Services, actor: Actor, conversationId: string) {
  const access = await chatRole(services, actor, conversationId);
  if (!access) return fail.notFound();
  const conversation = await services.db.conversation.findUniqueOrThrow({
    where: { id: conversationId },
    select: {
      id: true, status: true, lastSeq: true, waitingSince: true, resolvedAt: true,
      member: { select: { id: true, displayName: true, accountManagerId: true } },
      reads: { select: { userId: true, lastReadSeq: true, readAt: true } },
    },
  });
  const page = await readPage(services.db, access.role, { conversationId });
  const memberRead = conversation.reads.find((r) => r.userId === conversation.member.id);
  // "Seen" for the member: the furthest any staff member has read.
  const staffReads = conversation.reads.filter((r) => r.userId !== conversation.member.id).sort((a, b) => b.lastReadSeq - a.lastReadSeq);
  return {
    ok: true as const,
    role: access.role,
    conversation: {
      id: conversation.id,
      status: conversation.status,
      lastSeq: conversation.lastSeq,
      waitingSince: conversation.waitingSince?.toISOString() ?? null,
      member: { id: conversation.member.id, displayName: conversation.member.displayName },
    },
    reads: {
      member: memberRead ? { seq: memberRead.lastReadSeq, at: memberRead.readAt.toISOString() } : null,
      staff: staffReads[0] ? { seq: staffReads[0].lastReadSeq, at: staffReads[0].readAt.toISOString() } : null,
      mine: conversation.reads.find((r) => r.userId === actor.id)?.lastReadSeq ?? 0,
    },
    messages: page.messages,
    more: page.more,
  };
}

export async function setResolved(services: Services, actor: Actor, input: unknown): Promise<{ ok: true } | ChatFailure> {
  const parsed = z.object({ conversationId: z.string().min(1).max(64), resolved: z.boolean() }).safeParse(input);
  if (!parsed.success) return fail.invalid("Give a conversationId and resolved: true or false.");
  const access = await chatRole(services, actor, parsed.data.conversationId);
  if (!access) return fail.notFound();
  if (access.role === "member") return fail.forbidden("Only staff resolve conversations.");
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    await tx.conversation.update({
      where: { id: parsed.data.conversationId },
      data: parsed.data.resolved
        ? { status: "resolved", resolvedAt: now, resolvedById: actor.id, waitingSince: null }
        : { status: "open", resolvedAt: null, resolvedById: null },
    });
    if (parsed.data.resolved) {
      await recordTouchpoint(tx, {
        memberId: access.memberId, kind: "chat.resolved", actorId: actor.id,
        subject: { type: "conversation", id: parsed.data.conversationId }, at: now,
      });
    }
  });
  services.realtime.toRoom(chatRoom(parsed.data.conversationId), "chat:status", { conversationId: parsed.data.conversationId, status: parsed.data.resolved ? "resolved" : "open" });
  await announceInbox(services, parsed.data.conversationId);
  return { ok: true };
}

/**
 * The staff inbox: conversations of the members assigned to this staff
 * member (admins: everyone), by last activity, with unread counts and how
 * long the member has been waiting. While they cover for managers who are
 * not online, it also holds those managers' waiting conversations (and the
 * ones they answered in the last day), marked with whom they cover for.
 */
export async function listInbox(services: ChatServices, actor: Actor, options: { status?: "open" | "resolved" | "all"; limit?: number } = {}) {
  if (actor.role !== "staff" && actor.role !== "admin") return [];
  const { db } = services;
  const covered = actor.role === "staff" ? await managersCoveredBy(services, actor) : [];
  const dayAgo = new Date(services.clock.now().getTime() - 86_400_000);
  const rows = await db.conversation.findMany({
    where: {
      lastMessageAt: { not: null },
      ...(actor.role === "admin"
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
    coveringFor: actor.role === "staff" && r.member.accountManagerId !== actor.id ? (r.member.accountManager?.displayName ?? null) : null,
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
  if (actor.role !== "staff" && actor.role !== "admin") return 0;
  const covered = actor.role === "staff" ? (await managersCoveredBy(services, actor)).map((m) => m.id) : [];
  const mine =
    actor.role === "admin"
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
async function tellStaffInbox(services: Services, userIds: Iterable<string>, conversationId: string) {
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

/**
 * Offline fallback, from the outbox. A member's message to a manager with
 * no open tab is emailed to the manager; a staff reply still unread after
 * UNREAD_EMAIL_DELAY_MS is emailed to the member with a link back.
 */
export function chatEmailHandler(services: Pick<Services, "db" | "realtime">): OutboxHandler {
  const name = "chat.email_fallback";
  return {
    name,
    handles: (type) => type === CHAT_MEMBER_WROTE || type === CHAT_REPLY_SENT,
    async deliver(event) {
      const p = event.payload as { conversationId: string; seq: number; memberId: string; managerId?: string };
      if (event.type === CHAT_MEMBER_WROTE && p.managerId) {
        const online = await services.realtime.onlineUsers([p.managerId]);
        const read = await services.db.chatRead.findUnique({ where: { conversationId_userId: { conversationId: p.conversationId, userId: p.managerId } } });
        if (online.has(p.managerId) || (read && read.lastReadSeq >= p.seq)) return;
        const member = await services.db.user.findUniqueOrThrow({ where: { id: p.memberId }, select: { displayName: true } });
        // A named backup is told too; "any staff on duty" see it live in their inboxes.
        const backup = (await coverageOf(services.db, p.managerId))?.backupId ?? null;
        await services.db.$transaction(async (tx) => {
          const link = `/staff/inbox/${p.conversationId}`;
          await requestNotification(tx, { userId: p.managerId!, kind: "chat.member_message", data: { name: member.displayName }, link });
          if (backup && backup !== p.managerId) {
            await requestNotification(tx, { userId: backup, kind: "chat.covered_message", data: { name: member.displayName }, link });
          }
          await tx.outboxDelivery.create({ data: { eventId: event.id, handler: name } });
        });
        return;
      }
      const read = await services.db.chatRead.findUnique({ where: { conversationId_userId: { conversationId: p.conversationId, userId: p.memberId } } });
      if (read && read.lastReadSeq >= p.seq) return;
      // One email for a run of unread replies: only the newest reply's event sends it.
      const newer = await services.db.chatMessage.findFirst({
        where: { conversationId: p.conversationId, kind: "message", seq: { gt: p.seq }, senderId: { not: p.memberId } },
        select: { id: true },
      });
      if (newer) return;
      const manager = await services.db.chatMessage.findFirst({
        where: { conversationId: p.conversationId, seq: p.seq },
        select: { sender: { select: { displayName: true } } },
      });
      await services.db.$transaction(async (tx) => {
        await requestNotification(tx, { userId: p.memberId, kind: "chat.unread_reply", data: { name: manager?.sender?.displayName ?? "" }, link: "/chat" });
        await tx.outboxDelivery.create({ data: { eventId: event.id, handler: name } });
      });
    },
  };
}

// ---- Reassignment, presence and cover ----

/**
 * Inside a reassignment's transaction: the member is told in their
 * conversation who their new manager is. Nothing when they never chatted
 * (the notification and the /chat header tell them).
 */
export async function recordManagerChange(tx: Tx, input: { memberId: string; managerName: string | null; now: Date }) {
  const conversation = await tx.conversation.findUnique({ where: { memberId: input.memberId }, select: { id: true } });
  if (!conversation) return null;
  const { lastSeq } = await tx.conversation.update({ where: { id: conversation.id }, data: { lastSeq: { increment: 1 } }, select: { lastSeq: true } });
  const id = newSortableId(input.now);
  await tx.chatMessage.create({
    data: {
      id, conversationId: conversation.id, seq: lastSeq, senderId: null, clientId: `event-${id}`, kind: "event",
      body: "", bodyHtml: "", rendererVersion: 0, data: { type: "manager_changed", name: input.managerName }, createdAt: input.now,
    },
  });
  return { conversationId: conversation.id, messageId: id };
}

/**
 * After the reassignment commits: open tabs see the event, the previous
 * manager's sockets leave the conversation's rooms (their next event would
 * be refused anyway; this stops live messages reaching them now), and both
 * managers' inboxes refresh.
 */
export async function afterManagerChange(
  services: Services,
  input: { memberId: string; previousManagerId: string | null; newManagerId: string | null; posted: { conversationId: string; messageId: string } | null },
) {
  if (input.newManagerId) await broadcastPresence(services, input.newManagerId, [input.memberId]);
  if (!input.posted) return;
  const { conversationId, messageId } = input.posted;
  const row = await services.db.chatMessage.findUniqueOrThrow({ where: { id: messageId }, select: MESSAGE_SELECT });
  services.realtime.toRoom(chatRoom(conversationId), "chat:message", toView(row));
  if (input.previousManagerId) {
    const previous = await services.db.user.findUnique({ where: { id: input.previousManagerId }, select: { role: true } });
    if (previous?.role !== "admin") services.realtime.leaveRooms([input.previousManagerId], [chatRoom(conversationId), chatStaffRoom(conversationId)]);
    await tellStaffInbox(services, [input.previousManagerId], conversationId);
  }
  await announceInbox(services, conversationId);
}

/** Tells a manager's members (or the given ones) the manager's presence, for their chat header. */
export async function broadcastPresence(services: Services, managerId: string, memberIds?: string[]) {
  const presence = (await presenceOf(services, [managerId])).get(managerId) ?? "offline";
  const members = memberIds ?? (await services.db.user.findMany({ where: { accountManagerId: managerId, deletedAt: null }, select: { id: true } })).map((m) => m.id);
  for (const memberId of members) services.realtime.toUser(memberId, "chat:presence", { managerId, presence });
  return presence;
}

/**
 * A manager is back online (or coverage changed): whoever covered them
 * leaves the rooms of their members' conversations and their inboxes
 * refresh, so cover ends at once and not at the next event.
 */
export async function endCover(services: Services, managerId: string, coverers?: string[]) {
  const who = coverers ?? (await possibleCoverers(services.db, managerId));
  if (!who.length) return;
  const conversations = await services.db.conversation.findMany({ where: { member: { accountManagerId: managerId } }, select: { id: true } });
  const rooms = conversations.flatMap((c) => [chatRoom(c.id), chatStaffRoom(c.id)]);
  if (rooms.length) services.realtime.leaveRooms(who, rooms);
  await tellStaffInbox(services, who, "");
}

/** The manager's presence changed (a tab opened or the last one closed, or away toggled). */
export async function presenceChanged(services: Services, managerId: string) {
  const presence = await broadcastPresence(services, managerId);
  if (presence === "online") await endCover(services, managerId);
  else await tellStaffInbox(services, await possibleCoverers(services.db, managerId), "");
  return presence;
}

export async function setAway(services: Services, actor: Actor, input: unknown): Promise<{ ok: true; presence: string } | ChatFailure> {
  if (actor.role !== "staff" && actor.role !== "admin") return fail.forbidden("Only staff set an away status.");
  const parsed = z.object({ away: z.boolean() }).safeParse(input);
  if (!parsed.success) return fail.invalid("Give away: true or false.");
  await services.db.user.update({ where: { id: actor.id }, data: { awaySince: parsed.data.away ? services.clock.now() : null } });
  return { ok: true, presence: await presenceChanged(services, actor.id) };
}

/**
 * "Usually replies within …": the median wait this staff member's replies
 * ended over the last 30 days, or null with fewer than 3 of them (too few to
 * promise anything).
 */
export async function typicalReplySeconds(services: Pick<Services, "db" | "clock">, staffId: string) {
  const since = new Date(services.clock.now().getTime() - 30 * 86_400_000);
  const [row] = await services.db.$queryRaw<{ n: number; median: number | null }[]>`
    SELECT count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY "responseSeconds")::float8 AS median
    FROM "ChatMessage" WHERE "senderId" = ${staffId} AND "responseSeconds" IS NOT NULL AND "createdAt" >= ${since}`;
  return row && row.n >= 3 && row.median !== null ? Math.round(row.median) : null;
}
