/**
 * Touchpoints: the relationship history staff and members see. Producers
 * call recordTouchpoint inside the transaction of the change they record.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";
import { newSortableId } from "../ids.server";

/** The outbox event every touchpoint enqueues (the engagement score and the live timeline listen). */
export const TOUCHPOINT_RECORDED = "touchpoint.recorded";
import { withNoteHtml } from "./note-html.server";

export const TOUCHPOINT_KINDS = [
  "account.signed_up",
  "account.email_verified",
  "account.deleted",
  "account.suspended",
  "account.unsuspended",
  "profile.updated",
  "profile.avatar_changed",
  "preference.set",
  "preference.changed",
  "preference.removed",
  "consent.changed",
  "account_manager.changed",
  "data.exported",
  "forum.thread_started",
  "forum.replied",
  "forum.reacted",
  "forum.answer_accepted",
  "forum.answer_unaccepted",
  "forum.flagged",
  // Co-creation (docs/decisions/008).
  "product.owner_recorded",
  "product.owner_removed",
  "review.written",
  "review.edited",
  "review.deleted",
  "review.marked_helpful",
  "review.response_received",
  // Staff only: a 1–2 star review, a follow-up for the account manager.
  "review.needs_attention",
  "idea.submitted",
  "idea.voted",
  "idea.vote_withdrawn",
  "idea.commented",
  "idea.status_change_seen",
  // One per conversation and day, updated as messages arrive (chat.server.ts).
  "chat.session",
  "chat.resolved",
  // Staff console (issue 7): staff only.
  "staff.note_added",
  "task.created",
  "task.completed",
  "interaction.logged",
  "stage.changed",
  // Announcements (issue 18): one per member reached, and what they did with it.
  "announcement.delivered",
  "announcement.opened",
  "announcement.clicked",
  "announcement.unsubscribed",
  // Offers (issue 18): given to the member, and used (at the shop or marked by staff).
  "offer.issued",
  "offer.redeemed",
] as const;
export type TouchpointKind = (typeof TOUCHPOINT_KINDS)[number];

/** Kinds for staff eyes only: never in the member's own "My activity". */
export const STAFF_ONLY_TOUCHPOINT_KINDS: readonly TouchpointKind[] = [
  "review.needs_attention",
  "staff.note_added",
  "task.created",
  "task.completed",
  "interaction.logged",
  "stage.changed",
];

export interface TouchpointInput {
  memberId: string;
  kind: TouchpointKind;
  actorId?: string | null;
  subject?: { type: string; id: string } | null;
  data?: Record<string, string | number | boolean | null>;
  at: Date;
}

function touchpointRow(input: TouchpointInput) {
  return {
    id: newSortableId(input.at),
    memberId: input.memberId,
    kind: input.kind,
    actorId: input.actorId ?? null,
    subjectType: input.subject?.type ?? null,
    subjectId: input.subject?.id ?? null,
    data: (input.data ?? {}) as Prisma.InputJsonValue,
    occurredAt: input.at,
  };
}

/**
 * Each touchpoint also enqueues an event, in the same transaction: the
 * console recomputes the member's engagement score and shows the touchpoint
 * live to staff with the member's page open (engagement.server.ts).
 */
function liveEvents(rows: { id: string; memberId: string }[]) {
  return rows.map((row) => ({ type: TOUCHPOINT_RECORDED, payload: { memberId: row.memberId, touchpointId: row.id } }));
}

export async function recordTouchpoint(tx: Tx, input: TouchpointInput) {
  const row = touchpointRow(input);
  const created = await tx.touchpoint.create({ data: row, select: { id: true, kind: true, occurredAt: true } });
  await tx.outboxEvent.createMany({ data: liveEvents([row]) });
  return created;
}

/** Many touchpoints in one statement (a status change seen by every follower). */
export async function recordTouchpoints(tx: Tx, inputs: TouchpointInput[]) {
  if (inputs.length === 0) return;
  const rows = inputs.map(touchpointRow);
  await tx.touchpoint.createMany({ data: rows });
  await tx.outboxEvent.createMany({ data: liveEvents(rows) });
}

export interface TimelineCursor {
  at: Date;
  id: string;
}

export function encodeCursor(cursor: TimelineCursor) {
  return Buffer.from(`${cursor.at.toISOString()}|${cursor.id}`).toString("base64url");
}

export function decodeCursor(value: string | null | undefined): TimelineCursor | null {
  if (!value) return null;
  const [iso, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
  const at = new Date(iso ?? "");
  return id && !Number.isNaN(at.getTime()) ? { at, id } : null;
}

const TIMELINE_SELECT = {
  id: true,
  kind: true,
  subjectType: true,
  subjectId: true,
  data: true,
  occurredAt: true,
  actor: { select: { id: true, displayName: true, role: true } },
} as const;

/**
 * The one timeline query (staff console and "My activity"). Keyset
 * pagination on (occurredAt, id) walks the (memberId, occurredAt, id) index,
 * so page 500 costs what page 1 costs.
 */
export async function listTimeline(
  db: Db | Tx,
  memberId: string,
  options: { kinds?: readonly string[]; excludeKinds?: readonly string[]; before?: string | null; limit?: number } = {},
) {
  const limit = Math.min(Math.max(options.limit ?? 25, 1), 100);
  const cursor = decodeCursor(options.before);
  const rows = await db.touchpoint.findMany({
    where: {
      memberId,
      ...(options.kinds?.length ? { kind: { in: [...options.kinds] } } : options.excludeKinds?.length ? { kind: { notIn: [...options.excludeKinds] } } : {}),
      // The explicit upper bound on occurredAt lets the planner start the
      // index scan at the cursor instead of filtering from the newest row.
      ...(cursor
        ? { occurredAt: { lte: cursor.at }, OR: [{ occurredAt: { lt: cursor.at } }, { id: { lt: cursor.id } }] }
        : {}),
    },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: TIMELINE_SELECT,
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(withNoteHtml),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.occurredAt, id: last.id }) : null,
  };
}
