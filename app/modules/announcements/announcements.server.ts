/**
 * Announcements (issue 18): a message in Vietnamese and English to a saved segment, cut always to
 * the sender's member scope and to the members who consented to its topic. The commands here
 * write drafts and move the status; delivery.server.ts sends, through the outbox, in batches.
 *
 *   draft ──schedule──▶ scheduled ──(its time)──▶ sending ⇄ paused
 *     └────send now────────────────────────────▶ sending ──(all done)──▶ sent
 *
 * Nothing is edited once it starts sending: a change would reach some members and not others.
 * Duplicate it instead.
 */
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import type { Services } from "../services.server";
import type { Tx } from "../db-types.server";
import type { Actor } from "../policy/actor";
import { can } from "../policy/can";
import { memberRelation, type ScopeServices } from "../policy/member-scope.server";
import { announcementScope, mayReadAnnouncement } from "../policy/announcement-scope.server";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { newSortableId } from "../ids.server";
import { countSegmentByConsent, getSegment } from "../segments/segments.server";
import { isTimeZone, zonedInstant } from "../calendar";
import { STAGES } from "../relationship";
import { AnnouncementInput, type AnnouncementTopic } from "./schema";
import { ANNOUNCEMENT_START, clickAddress, renderForMember, recipientFacts } from "./render.server";

export { ANNOUNCEMENT_START };

const AnnouncementRef = z.object({ announcementId: z.string().min(1).max(64) });

const SUBJECT_SELECT = { id: true, status: true, createdById: true, materializedAt: true, segmentId: true, topic: true } as const;
const loadAnnouncement = (services: Services, { announcementId }: { announcementId: string }) =>
  services.db.announcement.findUnique({ where: { id: announcementId }, select: SUBJECT_SELECT });
type Subject = NonNullable<Awaited<ReturnType<typeof loadAnnouncement>>>;

/** Its author or an admin acts on an announcement. */
const onAnAnnouncementTheyMayChange = {
  who: (actor: Actor) => can(actor, "announcement.use"),
  ref: AnnouncementRef,
  load: loadAnnouncement,
  policy: (actor: Actor, a: Subject) => can(actor, "announcement.change", { authorId: a.createdById ?? "" }),
};

/** Anyone who reads it (its author, an admin, staff whose members it reached) may copy or test-send it; anyone else finds nothing. */
const onAnAnnouncementTheyRead = {
  who: (actor: Actor) => can(actor, "announcement.use"),
  ref: AnnouncementRef,
  load: loadAnnouncement,
  policy: async (actor: Actor, a: Subject, _ref: unknown, services: Services) => (await mayReadAnnouncement(services, actor, a)) || fail.notFound(),
};

/** A live segment: an unknown or archived id is "not found", as a missing thing is everywhere. */
const segmentExists = async (tx: Tx, id: string) => !!(await tx.segment.findFirst({ where: { id, archivedAt: null }, select: { id: true } }));

const closed = () => fail.because("closed", { key: "announcement.closed" });
const EDITABLE = ["draft", "scheduled"] as const;

function contentData(input: z.infer<typeof AnnouncementInput>) {
  return {
    titleVi: input.titleVi,
    titleEn: input.titleEn,
    bodyVi: input.bodyVi,
    bodyEn: input.bodyEn,
    topic: input.topic,
    inApp: input.channels.includes("in_app"),
    email: input.channels.includes("email"),
    segmentId: input.segmentId,
  };
}

export const createAnnouncement = defineCommand({
  name: "announcement.create",
  who: (actor) => can(actor, "announcement.use"),
  input: AnnouncementInput,
  async run({ tx, now, actor, audit }, input) {
    if (!(await segmentExists(tx, input.segmentId))) return fail.notFound();
    const id = newSortableId(now);
    await tx.announcement.create({ data: { id, ...contentData(input), createdById: actor.id, createdAt: now, updatedAt: now } });
    await audit({ action: "announcement.created", subject: { type: "announcement", id }, data: { topic: input.topic, segmentId: input.segmentId } });
    return { ok: true, id };
  },
});

export const updateAnnouncement = defineCommand({
  name: "announcement.update",
  ...onAnAnnouncementTheyMayChange,
  input: AnnouncementInput,
  async run({ tx, now, audit }, input) {
    if (!(await segmentExists(tx, input.segmentId))) return fail.notFound();
    // Conditional on the status, so an edit racing a send loses rather than changing a message already going out.
    const updated = await tx.announcement.updateMany({ where: { id: input.announcementId, status: { in: [...EDITABLE] } }, data: { ...contentData(input), updatedAt: now } });
    if (!updated.count) return closed();
    await audit({ action: "announcement.updated", subject: { type: "announcement", id: input.announcementId }, data: { topic: input.topic, segmentId: input.segmentId } });
    return { ok: true, id: input.announcementId };
  },
});

/** A wall-clock time in the sender's zone, as a datetime-local field gives it. */
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;
const ScheduleInput = z.object({
  when: z.enum(["now", "later"]).default("now"),
  scheduledAt: z.string().max(40).optional(),
  timeZone: z.string().max(64).optional(),
  // A checkbox: the time is each recipient's own ("9:00 their time").
  theirTime: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()).default(false),
});

/** The first zone to reach a wall-clock time (UTC+14): a "their time" announcement starts there. */
const EARLIEST_ZONE = "Pacific/Kiritimati";

export const scheduleAnnouncement = defineCommand({
  name: "announcement.schedule",
  ...onAnAnnouncementTheyMayChange,
  input: ScheduleInput,
  async run({ tx, now, actor, audit, enqueue }, { announcementId, when, scheduledAt, timeZone, theirTime }) {
    let at = now;
    const localWall = when === "later" && theirTime ? (LOCAL_TIME.exec(scheduledAt ?? "")?.[0] ?? null) : null;
    if (when === "later") {
      const parts = LOCAL_TIME.exec(scheduledAt ?? "");
      if (theirTime && !parts) return fail.field("scheduledAt", "announcement.scheduleRequired");
      // By their time, the first members to reach it decide whether it is still ahead.
      const zone = theirTime ? EARLIEST_ZONE : timeZone && isTimeZone(timeZone) ? timeZone : "UTC";
      const parsed = parts ? zonedInstant(parts[1]!, Number(parts[2]), Number(parts[3]), zone) : new Date(scheduledAt ?? "");
      if (!scheduledAt || Number.isNaN(parsed.getTime())) return fail.field("scheduledAt", "announcement.scheduleRequired");
      if (parsed.getTime() <= now.getTime()) return fail.field("scheduledAt", "announcement.scheduleInPast");
      at = parsed;
    }
    const current = await tx.announcement.findUniqueOrThrow({ where: { id: announcementId }, select: { segmentId: true } });
    if (!(await segmentExists(tx, current.segmentId))) return fail.notFound();
    const status = when === "now" ? "sending" : "scheduled";
    const moved = await tx.announcement.updateMany({
      where: { id: announcementId, status: { in: [...EDITABLE] } },
      data: { status, scheduledAt: at, localWall, senderId: actor.id, updatedAt: now, ...(status === "sending" ? { startedAt: now } : {}) },
    });
    if (!moved.count) return closed();
    // A rescheduled announcement's earlier start event finds the new time still ahead and does nothing.
    await enqueue(ANNOUNCEMENT_START, { announcementId }, at);
    await audit({ action: when === "now" ? "announcement.sent" : "announcement.scheduled", subject: { type: "announcement", id: announcementId }, data: { at: at.toISOString(), theirTime: !!localWall } });
    return { ok: true, status, scheduledAt: at };
  },
});

/** Back to a draft before its time comes. */
export const unscheduleAnnouncement = defineCommand({
  name: "announcement.unschedule",
  ...onAnAnnouncementTheyMayChange,
  async run({ tx, now, audit }, { announcementId }) {
    const moved = await tx.announcement.updateMany({ where: { id: announcementId, status: "scheduled" }, data: { status: "draft", scheduledAt: null, localWall: null, updatedAt: now } });
    if (!moved.count) return closed();
    await audit({ action: "announcement.unscheduled", subject: { type: "announcement", id: announcementId } });
    return { ok: true };
  },
});

/** Batches not yet claimed wait; the ones already sending finish. */
export const pauseAnnouncement = defineCommand({
  name: "announcement.pause",
  ...onAnAnnouncementTheyMayChange,
  async run({ tx, now, audit }, { announcementId }) {
    const moved = await tx.announcement.updateMany({ where: { id: announcementId, status: "sending" }, data: { status: "paused", updatedAt: now } });
    if (!moved.count) return closed();
    await audit({ action: "announcement.paused", subject: { type: "announcement", id: announcementId } });
    return { ok: true };
  },
});

export const resumeAnnouncement = defineCommand({
  name: "announcement.resume",
  ...onAnAnnouncementTheyMayChange,
  async run({ tx, now, audit, enqueue }, { announcementId }) {
    const moved = await tx.announcement.updateMany({ where: { id: announcementId, status: "paused" }, data: { status: "sending", updatedAt: now } });
    if (!moved.count) return closed();
    // The start handler materializes what is missing (idempotent) and enqueues a batch per pending slice.
    await enqueue(ANNOUNCEMENT_START, { announcementId });
    await audit({ action: "announcement.resumed", subject: { type: "announcement", id: announcementId } });
    return { ok: true };
  },
});

/** A new draft with the same content: the way to change an announcement that already went out. */
export const duplicateAnnouncement = defineCommand({
  name: "announcement.duplicate",
  ...onAnAnnouncementTheyRead,
  async run({ tx, now, actor, audit }, { announcementId }) {
    const source = await tx.announcement.findUniqueOrThrow({
      where: { id: announcementId },
      select: { titleVi: true, titleEn: true, bodyVi: true, bodyEn: true, topic: true, inApp: true, email: true, segmentId: true },
    });
    const id = newSortableId(now);
    await tx.announcement.create({ data: { id, ...source, duplicateOf: announcementId, createdById: actor.id, createdAt: now, updatedAt: now } });
    await audit({ action: "announcement.duplicated", subject: { type: "announcement", id }, data: { from: announcementId } });
    return { ok: true, id };
  },
});

export const TEST_SEND_LIMIT = { max: 5, windowMs: 60 * 60_000 };
export const ANNOUNCEMENT_TEST_SEND = "announcement.test_send";

/** The announcement, as the sender's own members would get it, to the sender's own address. */
export const testSendAnnouncement = defineCommand({
  name: "announcement.test_send",
  ...onAnAnnouncementTheyRead,
  limit: (actor) => ({ key: `announcement.test:${actor.id}`, limit: TEST_SEND_LIMIT }),
  async run({ actor, audit, enqueue }, { announcementId }) {
    await enqueue(ANNOUNCEMENT_TEST_SEND, { announcementId, userId: actor.id });
    await audit({ action: "announcement.test_sent", subject: { type: "announcement", id: announcementId } });
    return { ok: true };
  },
});

// ——— Reads ———

/** Who would receive it now, for this sender (the segment in their scope), split by consent to the topic, as counts for the composer: one query through the segment's own SQL (ADR 018). */
export async function previewAudience(services: ScopeServices & Pick<Services, "db" | "clock">, sender: Actor, segmentId: string, topic: AnnouncementTopic | string) {
  const segment = await getSegment(services, segmentId);
  if (!segment) return null;
  const counts = await countSegmentByConsent(services, sender, segment.definition, topic);
  return { willReceive: counts.consenting, excluded: counts.not };
}

/** `waitingForHours`: of the pending, those whose mail waits for the member's contact hours. */
export type DeliveryCounts = { pending: number; waitingForHours: number; sent: number; failed: number; excluded: number; unsubscribed: number; opened: number; clicked: number };

/** Progress by delivery status, and what members did with it: of every copy, or only of `members`' copies (a staff viewer's scope). */
export async function deliveryCounts(db: Services["db"], announcementIds: string[], members: Prisma.UserWhereInput | null = null): Promise<Map<string, DeliveryCounts>> {
  const counts = new Map<string, DeliveryCounts>();
  if (!announcementIds.length) return counts;
  const empty = (): DeliveryCounts => ({ pending: 0, waitingForHours: 0, sent: 0, failed: 0, excluded: 0, unsubscribed: 0, opened: 0, clicked: 0 });
  for (const id of announcementIds) counts.set(id, empty());
  const of: Prisma.AnnouncementDeliveryWhereInput = { announcementId: { in: announcementIds }, ...(members ? { member: members } : {}) };
  const [byStatus, unsubscribed, opened, clicked, waiting] = await Promise.all([
    db.announcementDelivery.groupBy({ by: ["announcementId", "status"], where: of, _count: { _all: true } }),
    db.announcementDelivery.groupBy({ by: ["announcementId"], where: { ...of, unsubscribedAt: { not: null } }, _count: { _all: true } }),
    db.announcementDelivery.groupBy({ by: ["announcementId"], where: { ...of, openedAt: { not: null } }, _count: { _all: true } }),
    db.announcementDelivery.groupBy({ by: ["announcementId"], where: { ...of, clickedAt: { not: null } }, _count: { _all: true } }),
    db.announcementDelivery.groupBy({ by: ["announcementId"], where: { ...of, status: "pending", emailHeldUntil: { not: null } }, _count: { _all: true } }),
  ]);
  for (const row of byStatus) {
    const c = counts.get(row.announcementId)!;
    // A claimed row not yet finished is still pending, as far as the sender is concerned.
    const key = row.status === "sending" ? "pending" : row.status;
    c[key] += row._count._all;
  }
  for (const row of unsubscribed) counts.get(row.announcementId)!.unsubscribed = row._count._all;
  for (const row of opened) counts.get(row.announcementId)!.opened = row._count._all;
  for (const row of clicked) counts.get(row.announcementId)!.clicked = row._count._all;
  for (const row of waiting) counts.get(row.announcementId)!.waitingForHours = row._count._all;
  return counts;
}

const LIST_SELECT = {
  id: true,
  titleVi: true,
  titleEn: true,
  topic: true,
  inApp: true,
  email: true,
  status: true,
  scheduledAt: true,
  localWall: true,
  createdAt: true,
  finishedAt: true,
  createdBy: { select: { displayName: true } },
  segment: { select: { id: true, name: true } },
} as const;

/** The announcements the viewer reads (policy/announcement-scope.server.ts), newest first, with their counts cut to the viewer's members. */
export async function listAnnouncements(services: ScopeServices, viewer: Actor, options: { limit?: number } = {}) {
  const scope = await announcementScope(services, viewer);
  const rows = await services.db.announcement.findMany({ where: scope.where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: Math.min(options.limit ?? 100, 200), select: LIST_SELECT });
  const counts = await deliveryCounts(services.db, rows.map((r) => r.id), scope.members);
  return rows.map((row) => ({ ...row, counts: counts.get(row.id)! }));
}

/** For the outreach hub: the announcements the viewer reads, by where they are (paused counts as sending). */
export async function announcementSummary(services: ScopeServices, viewer: Actor) {
  const scope = await announcementScope(services, viewer);
  const rows = await services.db.announcement.groupBy({ by: ["status"], where: { ...scope.where, status: { in: ["scheduled", "sending", "paused", "sent"] } }, _count: { _all: true } });
  const of = (...statuses: string[]) => rows.filter((r) => statuses.includes(r.status)).reduce((sum, r) => sum + r._count._all, 0);
  return { scheduled: of("scheduled"), sending: of("sending", "paused"), sent: of("sent") };
}

/** One announcement the viewer reads, its counts cut to their members; null (a 404) for one they may not read. */
export async function getAnnouncement(services: ScopeServices, viewer: Actor, id: string) {
  const row = await services.db.announcement.findUnique({
    where: { id: id.slice(0, 64) },
    select: { ...LIST_SELECT, bodyVi: true, bodyEn: true, segmentId: true, createdById: true, senderId: true, duplicateOf: true, audienceCount: true, excludedCount: true, startedAt: true },
  });
  if (!row) return null;
  const scope = await announcementScope(services, viewer);
  if (!(await mayReadAnnouncement(services, viewer, row, scope))) return null;
  const counts = (await deliveryCounts(services.db, [row.id], scope.members)).get(row.id)!;
  // The stored totals are the whole audience's: only a viewer who counts everyone's copies sees them.
  if (scope.members) return { ...row, audienceCount: null, excludedCount: null, counts };
  return { ...row, counts };
}

/** Delivered copies by the member's relationship stage, for the report: the viewer's members' copies only. */
export async function deliveriesByStage(services: ScopeServices, viewer: Actor, announcementId: string) {
  const { members } = await announcementScope(services, viewer);
  const rows = await services.db.announcementDelivery.findMany({
    where: { announcementId, ...(members ? { member: members } : {}) },
    select: { status: true, openedAt: true, clickedAt: true, unsubscribedAt: true, member: { select: { stage: true } } },
  });
  const stages = new Map<string, { delivered: number; excluded: number; opened: number; clicked: number; unsubscribed: number }>();
  for (const row of rows) {
    const s = stages.get(row.member.stage) ?? { delivered: 0, excluded: 0, opened: 0, clicked: 0, unsubscribed: 0 };
    if (row.status === "sent") s.delivered++;
    if (row.status === "excluded") s.excluded++;
    if (row.openedAt) s.opened++;
    if (row.clickedAt) s.clicked++;
    if (row.unsubscribedAt) s.unsubscribed++;
    stages.set(row.member.stage, s);
  }
  // In the lifecycle's order (attract first), as the offers report shows them, not in the order rows came.
  return [...stages.entries()]
    .map(([stage, counts]) => ({ stage, ...counts }))
    .sort((a, b) => STAGES.indexOf(a.stage as (typeof STAGES)[number]) - STAGES.indexOf(b.stage as (typeof STAGES)[number]));
}

/**
 * The announcement as one member would read it (their language, their name, their manager), for
 * the composer's preview; the member by id or email. The member must be in the viewer's scope: another manager's is not found.
 */
export async function previewAsMember(services: ScopeServices & Pick<Services, "db">, viewer: Actor, announcementId: string, who: string) {
  // Staff know a member by their email more often than by their id: either is accepted.
  const byEmail = who.includes("@") ? await services.db.user.findUnique({ where: { email: who.trim().toLowerCase().slice(0, 320) }, select: { id: true } }) : null;
  const memberId = byEmail?.id ?? who.slice(0, 64);
  const relation = await memberRelation(services, viewer, memberId);
  if (!relation || relation === "self") return null;
  const [announcement, member] = await Promise.all([
    services.db.announcement.findUnique({ where: { id: announcementId }, select: { titleVi: true, titleEn: true, bodyVi: true, bodyEn: true } }),
    recipientFacts(services.db, memberId),
  ]);
  if (!announcement || !member) return null;
  return { member: { id: memberId, displayName: member.displayName, locale: member.locale }, ...renderForMember(announcement, member) };
}

/** A member's own announcements, newest first: the in-app copies they were sent. */
export async function memberAnnouncements(db: Services["db"], memberId: string, options: { limit?: number } = {}) {
  const rows = await db.announcementDelivery.findMany({
    where: { memberId, status: "sent", inAppAt: { not: null } },
    orderBy: [{ sentAt: "desc" }, { id: "desc" }],
    take: Math.min(options.limit ?? 50, 100),
    select: { announcementId: true, sentAt: true, openedAt: true, announcement: { select: { titleVi: true, titleEn: true, bodyVi: true, bodyEn: true } } },
  });
  const member = await recipientFacts(db, memberId);
  if (!member) return [];
  return rows.map((row) => ({ id: row.announcementId, sentAt: row.sentAt, opened: !!row.openedAt, ...renderForMember(row.announcement, member) }));
}

/** One of the member's announcements, or null when it was never sent to them in the app; its links go through the click redirect. */
export async function memberAnnouncement(db: Services["db"], memberId: string, announcementId: string, secret: string) {
  const row = await db.announcementDelivery.findUnique({
    where: { announcementId_memberId: { announcementId: announcementId.slice(0, 64), memberId } },
    select: { status: true, inAppAt: true, sentAt: true, announcement: { select: { id: true, titleVi: true, titleEn: true, bodyVi: true, bodyEn: true } } },
  });
  if (!row || row.status !== "sent" || !row.inAppAt) return null;
  const member = await recipientFacts(db, memberId);
  if (!member) return null;
  return { id: row.announcement.id, sentAt: row.sentAt, ...renderForMember(row.announcement, member, clickAddress("", secret, memberId, row.announcement.id)) };
}

/** Opening the card: recorded once per member and announcement, as a touchpoint. */
export const markAnnouncementOpened = defineCommand({
  name: "announcement.opened",
  who: (actor) => can(actor, "notification.own"),
  ref: AnnouncementRef,
  async run({ tx, now, actor, touchpoint }, { announcementId }) {
    const opened = await tx.announcementDelivery.updateMany({ where: { announcementId, memberId: actor.id, status: "sent", openedAt: null }, data: { openedAt: now } });
    if (opened.count) await touchpoint({ memberId: actor.id, kind: "announcement.opened", actorId: actor.id, subject: { type: "announcement", id: announcementId } });
    return { ok: true };
  },
});
