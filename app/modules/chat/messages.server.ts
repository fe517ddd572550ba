/**
 * What participants write in a conversation, each a command (docs/decisions/017):
 * send a message or a private note, mark read, resolve or reopen, and open
 * one's own conversation.
 *
 * Never lose, never duplicate: a message is committed before it is
 * acknowledged; its (sender, clientId) pair is unique, so a retried send
 * returns the stored message (the runner's replay); seqs are taken under the
 * conversation's row lock, so they follow commit order and "after seq N"
 * never skips one.
 */
import { z } from "zod";
import type { Services } from "../services.server";
import type { Tx } from "../db-types.server";
import type { Actor } from "../policy/actor";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { isCommunityRole } from "../policy/permissions";
import { newSortableId } from "../ids.server";
import { renderMarkdown } from "../markdown/render.server";
import { recordTouchpoint } from "../timeline/touchpoints.server";
import {
  CHAT_BODY_MAX, CHAT_LIMITS, CHAT_MEMBER_WROTE, CHAT_REPLY_SENT, MESSAGE_SELECT,
  chatRole, chatRoom, chatStaffRoom, ensureOwnConversation, toView,
} from "./conversation.server";
import { UNREAD_EMAIL_DELAY_MS } from "./email-fallback.server";
import { announceInbox, memberUnread } from "./inbox.server";
import { onStaffSide } from "../policy/member-scope.server";

const ConversationRef = z.object({ conversationId: z.string().min(1).max(64) });
const participant = (services: Services, { conversationId }: { conversationId: string }, actor: Actor) => chatRole(services, actor, conversationId);

export const SendSchema = z.object({
  clientId: z
    .string({ required_error: "chat.error.clientId", invalid_type_error: "chat.error.clientId" })
    .min(8, "chat.error.clientId")
    .max(64, "chat.error.clientId")
    .regex(/^[A-Za-z0-9_-]+$/, "chat.error.clientId"),
  body: z
    .string({ required_error: "chat.error.empty", invalid_type_error: "chat.error.empty" })
    .transform((v) => v.trim())
    .pipe(z.string().min(1, "chat.error.empty").max(CHAT_BODY_MAX, "chat.error.tooLong")),
  note: z.boolean({ invalid_type_error: "chat.error.note" }).optional(),
});

/** A message already stored under this client id: the first answer again. */
async function storedSend(services: Services, { conversationId, clientId }: { conversationId: string; clientId: string }, actor: Actor) {
  const stored = await services.db.chatMessage.findUnique({ where: { senderId_clientId: { senderId: actor.id, clientId } }, select: MESSAGE_SELECT });
  if (!stored) return null;
  if (stored.conversationId !== conversationId) return fail.field("clientId", "chat.error.clientIdReused");
  return { ok: true as const, message: toView(stored), duplicate: true };
}

export const sendMessage = defineCommand({
  name: "chat.send",
  ref: ConversationRef,
  load: participant,
  policy: () => true,
  input: SendSchema,
  replay: storedSend,
  limit: (actor) => [CHAT_LIMITS.burst, CHAT_LIMITS.steady].map((limit) => ({ key: `chat:${limit.windowMs}:${actor.id}`, limit })),
  async run({ tx, now, actor, enqueue, toRoom, afterCommit }, { conversationId, clientId, body, note }, access) {
    if (note && !onStaffSide(access.role)) return fail.because("forbidden", { key: "chat.error.noteByMember" });
    const rendered = renderMarkdown(body, "chat");
    const kind = note ? "note" : "message";
    const fromStaff = onStaffSide(access.role);
    // The row lock serializes this conversation's senders: seqs follow commit order.
    const [current] = await tx.$queryRaw<{ waitingSince: Date | null; status: string; memberId: string; managerId: string | null; timezone: string }[]>`
      SELECT c."waitingSince", c."status"::text AS "status", c."memberId", u."accountManagerId" AS "managerId", u."timezone"
      FROM "Conversation" c JOIN "User" u ON u."id" = c."memberId"
      WHERE c."id" = ${conversationId} FOR UPDATE OF c`;
    if (!current) return fail.notFound();
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
        await enqueue(CHAT_REPLY_SENT, { conversationId, seq: row.seq, memberId: current.memberId }, new Date(now.getTime() + UNREAD_EMAIL_DELAY_MS));
      } else if (current.managerId) {
        await enqueue(CHAT_MEMBER_WROTE, { conversationId, seq: row.seq, memberId: current.memberId, managerId: current.managerId });
      }
    }
    const view = toView(row);
    toRoom(kind === "note" ? chatStaffRoom(conversationId) : chatRoom(conversationId), "chat:message", view);
    // Only a staff message changes the member's unread count. Not awaited: badge counts (a query per
    // online staff member) must neither delay the sender's ack nor fail it once the message is stored.
    afterCommit((services) => {
      void announceInbox(services, conversationId, { memberId: current.memberId, managerId: current.managerId, memberUnreadChanged: kind === "message" && fromStaff }).catch(
        (error: unknown) => services.logger.warn({ err: error, conversationId }, "inbox announcement failed"),
      );
    });
    return { ok: true, message: view, duplicate: false };
  },
});

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

export const markRead = defineCommand({
  name: "chat.read",
  ref: ConversationRef,
  load: participant,
  policy: () => true,
  input: z.object({ seq: z.number({ required_error: "chat.error.seq", invalid_type_error: "chat.error.seq" }).int("chat.error.seq").min(0, "chat.error.seq") }),
  async run({ tx, now, actor, toRoom, afterCommit }, { conversationId, seq }, access) {
    const conversation = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { lastSeq: true } });
    await markReadTx(tx, conversationId, actor.id, Math.min(seq, conversation.lastSeq), now);
    const read = await tx.chatRead.findUniqueOrThrow({ where: { conversationId_userId: { conversationId, userId: actor.id } } });
    toRoom(chatRoom(conversationId), "chat:read", { conversationId, userId: actor.id, isStaff: onStaffSide(access.role), seq: read.lastReadSeq, at: read.readAt.toISOString() });
    if (onStaffSide(access.role)) afterCommit((services) => announceInbox(services, conversationId));
    // The member's other tabs and the launcher's badge.
    else afterCommit((services) => toUserUnread(services, actor.id));
    return { ok: true, seq: read.lastReadSeq };
  },
});

async function toUserUnread(services: Services, memberId: string) {
  services.realtime.toUser(memberId, "chat:unread", { unread: await memberUnread(services.db, memberId) });
}

/** Staff resolve a conversation (it reopens when the member writes) or reopen it. */
export const setResolved = defineCommand({
  name: "chat.resolve",
  ref: ConversationRef,
  load: participant,
  policy: (_actor, access) => onStaffSide(access.role) || fail.because("forbidden", { key: "chat.error.resolveStaffOnly" }),
  input: z.object({ resolved: z.boolean({ required_error: "chat.error.resolved", invalid_type_error: "chat.error.resolved" }) }),
  async run({ tx, now, actor, touchpoint, toRoom, afterCommit }, { conversationId, resolved }, access) {
    await tx.conversation.update({
      where: { id: conversationId },
      data: resolved ? { status: "resolved", resolvedAt: now, resolvedById: actor.id, waitingSince: null } : { status: "open", resolvedAt: null, resolvedById: null },
    });
    if (resolved) await touchpoint({ memberId: access.memberId, kind: "chat.resolved", actorId: actor.id, subject: { type: "conversation", id: conversationId } });
    toRoom(chatRoom(conversationId), "chat:status", { conversationId, status: resolved ? "resolved" : "open" });
    afterCommit((services) => announceInbox(services, conversationId));
    return { ok: true };
  },
});

/** A member opens their own conversation: made on first use. */
export const openOwnConversation = defineCommand({
  name: "chat.openOwn",
  who: (actor) => isCommunityRole(actor.role),
  async run({ tx, actor }) {
    return { ok: true, conversationId: await ensureOwnConversation(tx, actor.id) };
  },
});
