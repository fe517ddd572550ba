/**
 * The audit log: every staff or admin action that reads or changes a
 * member's data, and sensitive member actions (export, deletion).
 * Append-only; the database refuses UPDATE and DELETE.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "../services.server";
import type { Tx } from "../db-types.server";
import { newSortableId } from "../ids.server";

export const AUDIT_ACTIONS = [
  "member.viewed",
  "member.profile_updated",
  "member.preference_set",
  "member.preference_removed",
  "member.account_manager_changed",
  "member.role_changed",
  "member.data_exported",
  "member.account_deleted",
  "member.suspended",
  "member.unsuspended",
  "outbox.event_retried",
  "product.saved",
  "product.category_saved",
  "product.owner_recorded",
  "product.owner_removed",
  "review.hidden",
  "review.restored",
  "review.reports_dismissed",
  "review.response_saved",
  "idea.status_changed",
  "idea.merged",
  "idea.comment_removed",
  "idea.edited",
  "idea.removed",
  "forum.post_edited",
  "forum.post_deleted",
  "forum.post_hidden",
  "forum.post_restored",
  "forum.thread_pin",
  "forum.thread_unpin",
  "forum.thread_lock",
  "forum.thread_unlock",
  "forum.flags_upheld",
  "forum.thread_renamed_or_moved",
  "forum.answer_unaccepted",
  "forum.category_saved",
  "forum.flags_dismissed",
  "staff.coverage_set",
  "task.created",
  "task.updated",
  "task.completed",
  "task.reopened",
  "member.list_exported",
  "member.note_added",
  "member.note_changed",
  "member.note_deleted",
  "member.stage_set",
  "member.interaction_logged",
  "member.tags_changed",
  "segment.created",
  "segment.updated",
  "segment.archived",
  "announcement.created",
  "announcement.updated",
  "announcement.scheduled",
  "announcement.unscheduled",
  "announcement.sent",
  "announcement.paused",
  "announcement.resumed",
  "announcement.duplicated",
  "announcement.test_sent",
  "announcement.unsubscribed",
  "offer.created",
  "offer.updated",
  "offer.issued",
  "offer.redeemed",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  actorId: string | null;
  action: AuditAction;
  targetMemberId?: string | null;
  subject?: { type: string; id: string } | null;
  data?: Record<string, string | number | boolean | null>;
  ip?: string | null;
  at: Date;
}

export async function recordAudit(tx: Tx | Db, entry: AuditEntry) {
  await tx.auditLog.create({
    data: {
      id: newSortableId(entry.at),
      actorId: entry.actorId,
      action: entry.action,
      targetMemberId: entry.targetMemberId ?? null,
      subjectType: entry.subject?.type ?? null,
      subjectId: entry.subject?.id ?? null,
      data: (entry.data ?? {}) as Prisma.InputJsonValue,
      ip: entry.ip ?? null,
      at: entry.at,
    },
  });
}

export async function listAudit(
  db: Db,
  options: { before?: string | null; limit?: number; action?: string | null; memberId?: string | null } = {},
) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const rows = await db.auditLog.findMany({
    where: {
      ...(options.before ? { id: { lt: options.before } } : {}),
      ...(options.action ? { action: options.action } : {}),
      ...(options.memberId ? { targetMemberId: options.memberId } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    select: { id: true, actorId: true, action: true, targetMemberId: true, subjectType: true, subjectId: true, data: true, ip: true, at: true },
  });
  const items = rows.slice(0, limit);
  const ids = [...new Set(items.flatMap((r) => [r.actorId, r.targetMemberId]).filter((v): v is string => !!v))];
  const people = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
  const names = Object.fromEntries(people.map((p) => [p.id, p.displayName]));
  return {
    items: items.map((r) => ({
      ...r,
      actorName: r.actorId ? (names[r.actorId] ?? null) : null,
      targetName: r.targetMemberId ? (names[r.targetMemberId] ?? null) : null,
    })),
    nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null,
  };
}
