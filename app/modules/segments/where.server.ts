/**
 * A segment definition as one Prisma filter on users (segmentWhere: relation conditions become
 * EXISTS subqueries on indexed columns, for callers that AND it into a Prisma query: announcements
 * and offers) and as one SQL condition (segmentSql, below: the count, the preview and the members
 * table), so evaluating a segment is one query whatever its shape. ADR 018 says why there are two.
 */
import { Prisma } from "~/generated/prisma/client";
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

/**
 * The same definition as one SQL condition on `"User" u`, for counting a segment and reading a page
 * of it (segments.server.ts). PostgreSQL cannot turn an EXISTS inside an OR into a join, so the
 * Prisma filter above checks "likes coffee OR #vip" member by member (seconds on 100,000 members);
 * here a relation condition is a set of member ids, the sets of an OR are one UNION and each set is
 * `u.id IN (…)`, which the planner joins from the indexes. Semantics are the Prisma filter's, and
 * tests/integration/segments checks both compilers find the same members.
 */
export function segmentSql(definition: SegmentDefinition, now: Date): Prisma.Sql {
  const groups = definition.groups.filter((g) => g.conditions.length > 0).map((g) => combine(g.match, g.conditions.map((c) => conditionSql(c, now))));
  return predicate(combine(definition.match, groups));
}

/** A member-id set (`SELECT "memberId" …`, joined as `u.id IN`) or a condition on the row. */
type Part = { ids: Prisma.Sql } | { where: Prisma.Sql };

const TRUE = Prisma.sql`TRUE`;
const FALSE = Prisma.sql`FALSE`;

function predicate(part: Part): Prisma.Sql {
  return "ids" in part ? Prisma.sql`u."id" IN (${part.ids})` : part.where;
}

/** AND or OR of parts; an OR's sets become one UNION, so a group of relation conditions is still one set. */
function combine(match: "and" | "or", parts: Part[]): Part {
  if (parts.length === 1) return parts[0]!;
  if (match === "and") return { where: parts.length ? Prisma.sql`(${Prisma.join(parts.map(predicate), " AND ")})` : TRUE };
  const sets = parts.flatMap((p) => ("ids" in p ? [p.ids] : []));
  const union: Part[] = sets.length ? [{ ids: Prisma.join(sets, " UNION ") }] : [];
  const rest = [...union, ...parts.filter((p) => "where" in p)];
  if (rest.length === 1) return rest[0]!;
  return { where: rest.length ? Prisma.sql`(${Prisma.join(rest.map(predicate), " OR ")})` : FALSE };
}

const list = (values: readonly (string | number)[]) => Prisma.join(values);
const at = (date: Date) => Prisma.sql`${date.toISOString()}::timestamp`;
const all = (parts: Part[]): Part => combine("and", parts);
const any = (parts: Part[]): Part => combine("or", parts);
const where = (sql: Prisma.Sql): Part => ({ where: sql });
/**
 * Members with a row in `table` matching `filter` (a set), or without one: NOT EXISTS, which the
 * planner runs as an anti-join. The filter's columns are unqualified: they name `table`'s own.
 */
function related(has: boolean, table: string, member: string, filter: Prisma.Sql): Part {
  const [from, by] = [Prisma.raw(`"${table}"`), Prisma.raw(`"${member}"`)];
  return has ? { ids: Prisma.sql`SELECT ${by} FROM ${from} WHERE ${filter}` } : where(Prisma.sql`NOT EXISTS (SELECT 1 FROM ${from} WHERE ${by} = u."id" AND ${filter})`);
}
const stages = (values: readonly string[]) => Prisma.join(values.map((v) => Prisma.sql`CAST(${v}::text AS "RelationshipStage")`));

function conditionSql(c: SegmentCondition, now: Date): Part {
  switch (c.field) {
    case "stage":
      return where(c.op === "in" ? Prisma.sql`u."stage" IN (${stages(c.values)})` : Prisma.sql`u."stage" NOT IN (${stages(c.values)})`);
    case "engagement_band":
      return any(c.values.map((band) => scoreRange(engagementBandRange(band))));
    case "engagement_score":
      return scoreRange({ gte: c.min, lte: c.max });
    case "manager": {
      const ids = c.values.filter((v) => v !== "none");
      const none = ids.length < c.values.length;
      if (c.op === "in") return any([...(ids.length ? [where(Prisma.sql`u."accountManagerId" IN (${list(ids)})`)] : []), ...(none ? [where(Prisma.sql`u."accountManagerId" IS NULL`)] : [])]);
      return all([
        ...(ids.length ? [where(Prisma.sql`(u."accountManagerId" IS NULL OR u."accountManagerId" NOT IN (${list(ids)}))`)] : []),
        ...(none ? [where(Prisma.sql`u."accountManagerId" IS NOT NULL`)] : []),
      ]);
    }
    case "tag":
      if (c.op === "all") return all(c.values.map((tag) => related(true, "MemberTag", "memberId", Prisma.sql`"tag" = ${tag}`)));
      return related(c.op === "any", "MemberTag", "memberId", Prisma.sql`"tag" IN (${list(c.values)})`);
    case "owns_product":
      if (c.op === "all") return all(c.values.map((productId) => related(true, "ProductOwnership", "memberId", Prisma.sql`"productId" = ${productId}`)));
      return related(c.op === "any", "ProductOwnership", "memberId", Prisma.sql`"productId" IN (${list(c.values)})`);
    case "preference":
      if (c.op === "set" || c.op === "unset") return related(c.op === "set", "MemberPreference", "memberId", Prisma.sql`"key" = ${c.key}`);
      // Prisma's insensitive equals and contains, exactly: ILIKE with the value as given.
      if (c.op === "is") return related(true, "MemberPreference", "memberId", Prisma.sql`"key" = ${c.key} AND "value" ILIKE ${c.value ?? ""}`);
      return related(true, "MemberPreference", "memberId", Prisma.sql`"key" = ${c.key} AND "value" ILIKE ('%' || ${c.value ?? ""} || '%')`);
    case "language":
      return where(Prisma.sql`u."locale" IN (${list(c.values)})`);
    case "member_since": {
      const day = new Date(`${c.date}T00:00:00.000Z`);
      return where(c.op === "before" ? Prisma.sql`u."createdAt" < ${at(day)}` : Prisma.sql`u."createdAt" >= ${at(day)}`);
    }
    case "last_activity": {
      const since = at(daysAgo(now, c.days));
      return where(c.op === "within" ? Prisma.sql`u."lastActivityAt" >= ${since}` : Prisma.sql`(u."lastActivityAt" IS NULL OR u."lastActivityAt" < ${since})`);
    }
    case "activity": {
      const since = c.days ? Prisma.sql` AND "occurredAt" >= ${at(daysAgo(now, c.days))}` : Prisma.empty;
      return related(c.op === "has", "Touchpoint", "memberId", Prisma.sql`"kind" IN (${list([...SEGMENT_ACTIVITIES[c.activity]])})${since}`);
    }
    case "review_rating":
      return related(true, "ProductReview", "authorId", Prisma.sql`"rating" >= ${c.min} AND "rating" <= ${c.max} AND "hiddenAt" IS NULL`);
    case "consent":
      // No recorded consent counts as not given.
      return related(c.granted, "MemberConsent", "memberId", Prisma.sql`"channel" = ${c.channel} AND "granted" = TRUE`);
  }
}

function scoreRange(range: { gte?: number; lte?: number }): Part {
  const bounds = [
    ...(range.gte !== undefined ? [Prisma.sql`u."engagementScore" >= ${range.gte}`] : []),
    ...(range.lte !== undefined ? [Prisma.sql`u."engagementScore" <= ${range.lte}`] : []),
  ];
  return where(bounds.length ? Prisma.sql`(${Prisma.join(bounds, " AND ")})` : TRUE);
}
