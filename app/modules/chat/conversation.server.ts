/**
 * A member's conversation with their own account manager, as its
 * participants read it. One conversation per member; it follows the member,
 * so a new manager inherits the history. Who takes part is the one
 * member-scope rule (app/modules/policy/member-scope.server.ts): the member,
 * their manager, whoever covers that manager while they are not online, and
 * admins. The writes are ./messages.server.ts; the inbox ./inbox.server.ts.
 */
import { z } from "zod";
import type { Db, Services } from "../services.server";
import type { Tx } from "../db-types.server";
import type { Actor } from "../policy/actor";
import { fail } from "../commands/failure";
import { memberRelation, onStaffSide } from "../policy/member-scope.server";
import { isStaffRole } from "../policy/permissions";
import { newSortableId } from "../ids.server";
import type { ChatMessageView } from "./chat-types";

export const CHAT_BODY_MAX = 4_000;
export const HISTORY_PAGE = 50;
/** Outbox events of a message, for the email fallback (./email-fallback.server.ts). */
export const CHAT_MEMBER_WROTE = "chat.member_wrote";
export const CHAT_REPLY_SENT = "chat.reply_sent";

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

export const MESSAGE_SELECT = {
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
    sender: row.sender ? { id: row.sender.id, displayName: row.sender.displayName, isStaff: isStaffRole(row.sender.role) } : null,
  };
}

type ChatServices = Pick<Services, "db" | "realtime" | "clock">;

/**
 * Who the actor is in this conversation, or null (told as "not found", so
 * ids are not probed): the member themself, or staff by the member-scope rule.
 */
export async function chatRole(services: ChatServices, actor: Actor, conversationId: string): Promise<{ role: ChatRole; memberId: string } | null> {
  const conversation = await services.db.conversation.findUnique({
    where: { id: conversationId },
    select: {
      memberId: true,
      member: { select: { id: true, role: true, deletedAt: true, accountManagerId: true, accountManager: { select: { coverage: { select: { backupId: true } } } } } },
    },
  });
  if (!conversation) return null;
  const { member } = conversation;
  const relation = await memberRelation(services, actor, { ...member, coverage: member.accountManager?.coverage ?? null });
  if (!relation) return null;
  return { role: relation === "self" ? "member" : relation, memberId: conversation.memberId };
}

/** The conversation, for a participant: the command's `load`. */
export async function participantIn(services: ChatServices, actor: Actor, conversationId: string) {
  return chatRole(services, actor, conversationId);
}

/** Inside a transaction: the member's own conversation, made on first use. */
export async function ensureOwnConversation(tx: Tx | Db, memberId: string) {
  const existing = await tx.conversation.findUnique({ where: { memberId }, select: { id: true } });
  if (existing) return existing.id;
  await tx.conversation.createMany({ data: [{ id: newSortableId(), memberId }], skipDuplicates: true });
  return (await tx.conversation.findUniqueOrThrow({ where: { memberId }, select: { id: true } })).id;
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
  if (!parsed.success) return fail.invalid({ "": ["chat.error.history"] });
  const access = await chatRole(services, actor, parsed.data.conversationId);
  if (!access) return fail.notFound();
  return { ok: true as const, ...(await readPage(services.db, access.role, parsed.data)) };
}

/** A page of messages for a role already checked. */
async function readPage(db: Db, role: ChatRole, input: z.infer<typeof HistorySchema>) {
  const { conversationId, before, after } = input;
  const limit = input.limit ?? HISTORY_PAGE;
  const kindFilter = !onStaffSide(role) ? { kind: { in: ["message" as const, "event" as const] } } : {};
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

