/**
 * A segment definition as one Prisma filter on users: relation conditions become EXISTS subqueries
 * on indexed columns (touchpoints by member/kind/time, tags, ownership, preferences, the current
 * consent), so counting or listing a segment is one query whatever its shape.
 */
import type { Prisma } from "~/generated/prisma/client";
import { engagementBandRange } from "../relationship";
import { SEGMENT_ACTIVITIES, type SegmentCondition, type SegmentDefinition } from "./definition";

const DAY_MS = 86_400_000;

/** Who can be in a segment at all: members and moderators whose accounts still exist. */
export const SEGMENT_POPULATION: Prisma.UserWhereInput = { deletedAt: null, role: { in: ["member", "moderator"] } };

export function segmentWhere(definition: SegmentDefinition, now: Date): Prisma.UserWhereInput {
  const groups = definition.groups
    .filter((g) => g.conditions.length > 0)
    .map((g): Prisma.UserWhereInput => {
      const parts = g.conditions.map((c) => conditionWhere(c, now));
      return g.match === "or" ? { OR: parts } : { AND: parts };
    });
  return definition.match === "or" ? { OR: groups } : { AND: groups };
}

function daysAgo(now: Date, days: number) {
  return new Date(now.getTime() - days * DAY_MS);
}

function conditionWhere(c: SegmentCondition, now: Date): Prisma.UserWhereInput {
  switch (c.field) {
    case "stage":
      return { stage: c.op === "in" ? { in: c.values } : { notIn: c.values } };
    case "engagement_band":
      return { OR: c.values.map((band) => ({ engagementScore: engagementBandRange(band) })) };
    case "engagement_score":
      return { engagementScore: { ...(c.min !== undefined ? { gte: c.min } : {}), ...(c.max !== undefined ? { lte: c.max } : {}) } };
    case "manager": {
      const ids = c.values.filter((v) => v !== "none");
      const none = ids.length < c.values.length;
      if (c.op === "in") return { OR: [...(ids.length ? [{ accountManagerId: { in: ids } }] : []), ...(none ? [{ accountManagerId: null }] : [])] };
      // NOT IN is false for NULL in SQL: members without a manager are kept unless "none" is excluded too.
      return { AND: [...(ids.length ? [{ OR: [{ accountManagerId: null }, { accountManagerId: { notIn: ids } }] }] : []), ...(none ? [{ accountManagerId: { not: null } }] : [])] };
    }
    case "tag":
      if (c.op === "any") return { tags: { some: { tag: { in: c.values } } } };
      if (c.op === "none") return { tags: { none: { tag: { in: c.values } } } };
      return { AND: c.values.map((tag) => ({ tags: { some: { tag } } })) };
    case "owns_product":
      if (c.op === "any") return { ownedProducts: { some: { productId: { in: c.values } } } };
      if (c.op === "none") return { ownedProducts: { none: { productId: { in: c.values } } } };
      return { AND: c.values.map((productId) => ({ ownedProducts: { some: { productId } } })) };
    case "preference":
      if (c.op === "set") return { preferences: { some: { key: c.key } } };
      if (c.op === "unset") return { preferences: { none: { key: c.key } } };
      if (c.op === "is") return { preferences: { some: { key: c.key, value: { equals: c.value ?? "", mode: "insensitive" } } } };
      return { preferences: { some: { key: c.key, value: { contains: c.value ?? "", mode: "insensitive" } } } };
    case "language":
      return { locale: { in: c.values } };
    case "member_since": {
      const day = new Date(`${c.date}T00:00:00.000Z`);
      return c.op === "before" ? { createdAt: { lt: day } } : { createdAt: { gte: day } };
    }
    case "last_activity": {
      const since = daysAgo(now, c.days);
      return c.op === "within" ? { lastActivityAt: { gte: since } } : { OR: [{ lastActivityAt: null }, { lastActivityAt: { lt: since } }] };
    }
    case "activity": {
      const touch: Prisma.TouchpointWhereInput = {
        kind: { in: [...SEGMENT_ACTIVITIES[c.activity]] },
        ...(c.days ? { occurredAt: { gte: daysAgo(now, c.days) } } : {}),
      };
      return c.op === "has" ? { touchpoints: { some: touch } } : { touchpoints: { none: touch } };
    }
    case "review_rating":
      return { productReviews: { some: { rating: { gte: c.min, lte: c.max }, hiddenAt: null } } };
    case "consent":
      // No recorded consent counts as not given.
      return c.granted ? { consentState: { some: { channel: c.channel, granted: true } } } : { consentState: { none: { channel: c.channel, granted: true } } };
  }
}
