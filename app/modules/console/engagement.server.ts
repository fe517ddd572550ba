/**
 * Computing the engagement score, and keeping it (and last activity) current
 * as touchpoints arrive: every recorded touchpoint enqueues an outbox event,
 * and the handler here recomputes the member's score and tells the staff who
 * have the member's page open. Nothing waits for a nightly batch.
 */
import type { Db, Services } from "../services.server";
import type { Tx } from "../db-types.server";
import type { OutboxHandler } from "../outbox/outbox.server";
import { withNoteHtml } from "../timeline/note-html.server";
import { COUNTED_WHEN_STAFF_ACT, ENGAGEMENT_WEIGHTS, HALF_LIFE_DAYS, WINDOW_DAYS, scoreFrom, suggestStage } from "./engagement";

/** Enqueued by recordTouchpoint with every touchpoint. */
export { TOUCHPOINT_RECORDED } from "../timeline/touchpoints.server";
import { TOUCHPOINT_RECORDED } from "../timeline/touchpoints.server";

/** Staff watching a member's page join this room (after the console access check). */
export const memberWatchRoom = (memberId: string) => `member:${memberId}:staff`;

const COUNTED_KINDS = Object.keys(ENGAGEMENT_WEIGHTS);

/** Per kind: how many of the member's own touchpoints in the window, and their decayed sum. */
async function scoreRows(db: Db | Tx, memberId: string, now: Date) {
  const since = new Date(now.getTime() - WINDOW_DAYS * 86_400_000);
  const halfLifeSeconds = HALF_LIFE_DAYS * 86_400;
  return db.$queryRaw<{ kind: string; count: number; decayed: number; last: Date | null }[]>`
    SELECT "kind", count(*)::int AS "count",
           sum(power(0.5, GREATEST(0, EXTRACT(EPOCH FROM (${now}::timestamp - "occurredAt"))) / ${halfLifeSeconds}))::float8 AS "decayed",
           max("occurredAt") AS "last"
    FROM "Touchpoint"
    WHERE "memberId" = ${memberId} AND "occurredAt" >= ${since} AND "occurredAt" <= ${now}
      AND "kind" = ANY(${COUNTED_KINDS})
      AND ("actorId" IS NULL OR "actorId" = ${memberId} OR "kind" = ANY(${COUNTED_WHEN_STAFF_ACT}))
    GROUP BY "kind"`;
}

/** The score now, with the parts that make it up and the stage it suggests. */
export async function explainEngagement(db: Db | Tx, memberId: string, now: Date) {
  const [rows, member] = await Promise.all([
    scoreRows(db, memberId, now),
    db.user.findUniqueOrThrow({ where: { id: memberId }, select: { createdAt: true } }),
  ]);
  const { score, parts } = scoreFrom(rows);
  return { score, parts, suggestion: suggestStage({ score, parts, memberSince: member.createdAt, now }) };
}

/** Stores the member's current score and last activity. */
export async function recomputeEngagement(db: Db | Tx, memberId: string, now: Date) {
  const rows = await scoreRows(db, memberId, now);
  const { score } = scoreFrom(rows);
  const last = rows.reduce<Date | null>((max, r) => (r.last && (!max || r.last > max) ? r.last : max), null);
  await db.user.update({
    where: { id: memberId },
    data: { engagementScore: score, engagementAt: now, ...(last ? { lastActivityAt: last } : {}) },
  });
  return score;
}

/**
 * The outbox handler: recompute, then push the new touchpoint to staff with
 * the member's page open. Idempotent (a recompute is a recompute), so it
 * needs no delivery record.
 */
export function touchpointLiveHandler(services: Pick<Services, "db" | "realtime" | "clock">): OutboxHandler {
  return {
    name: "console.touchpoint_live",
    handles: (type) => type === TOUCHPOINT_RECORDED,
    async deliver(event) {
      const { memberId, touchpointId } = event.payload as { memberId: string; touchpointId?: string };
      const member = await services.db.user.findUnique({ where: { id: memberId }, select: { deletedAt: true, engagementScore: true } });
      if (!member || member.deletedAt) return;
      const item = touchpointId
        ? await services.db.touchpoint.findUnique({
            where: { id: touchpointId },
            select: {
              id: true, kind: true, data: true, occurredAt: true, subjectType: true, subjectId: true,
              actor: { select: { id: true, displayName: true, role: true } },
            },
          })
        : null;
      // A kind the score does not count (an announcement delivered to them, an offer given) cannot
      // move it: no recompute, which an announcement to 100,000 members would otherwise run 100,000 times.
      const counted = !item || COUNTED_KINDS.includes(item.kind);
      const score = counted ? await recomputeEngagement(services.db, memberId, services.clock.now()) : member.engagementScore;
      services.realtime.toRoom(memberWatchRoom(memberId), "member:touchpoint", {
        memberId,
        score,
        item: item ? withNoteHtml({ ...item, occurredAt: item.occurredAt.toISOString() }) : null,
      });
    },
  };
}
