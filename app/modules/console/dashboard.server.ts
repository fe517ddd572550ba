/**
 * The staff dashboard's figures. Each figure is one grouped query, whatever
 * the number of members, days or products. Community figures (forums,
 * ideas, ratings) are the same for every staff member; member figures
 * (activity, chat replies, stages, overdue tasks) cover everyone for admins
 * and a staff member's own members otherwise.
 */
import { Prisma } from "~/generated/prisma/client";
import type { IdeaStatus, RelationshipStage } from "~/generated/prisma/enums";
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { AccessDenied } from "../policy/access-denied";
import { addDays, calendarDay, dateToDay, usableTimeZone, zonedInstant } from "./calendar";
import { IDEA_STATUSES, parseDashboardRange, STAGES, type DashboardRange } from "./dashboard-range";
import { isStaffRole, isAdminRole } from "../policy/permissions";

export { parseDashboardRange } from "./dashboard-range";

export type DashboardScope = "all" | "mine";

export interface Dashboard {
  scope: DashboardScope;
  timeZone: string;
  today: string;
  range: DashboardRange;
  activeMembers: { last7: number; last30: number; total: number };
  forumByDay: { day: string; threads: number; replies: number }[];
  unanswered: { count: number; oldest: { id: string; title: string; createdAt: string }[] };
  chatResponse: { median: number | null; p90: number | null; replies: number };
  ideasByStatus: { status: IdeaStatus; count: number }[];
  ratings: { productId: string; slug: string; nameVi: string; nameEn: string; average: number; reviewCount: number }[];
  stages: { stage: RelationshipStage; count: number }[];
  overdueTasks: { total: number; byAssignee: { id: string; displayName: string; count: number }[] };
}

const DAY_MS = 24 * 60 * 60_000;
const n = (value: bigint | number | null | undefined) => Number(value ?? 0);

/** Everything on the dashboard for this viewer and range. */
function requireStaff(actor: Actor) {
  if (!isStaffRole(actor.role)) throw new AccessDenied("Only staff see the dashboard.");
}

async function viewerTimeZone(services: Pick<Services, "db">, actor: Actor) {
  const me = await services.db.user.findUnique({ where: { id: actor.id }, select: { timezone: true } });
  return usableTimeZone(me?.timezone);
}

/** The dashboard for a query string: the range read in the viewer's time zone, then the figures. */
export async function loadDashboard(services: Pick<Services, "db" | "clock">, actor: Actor, params: URLSearchParams) {
  requireStaff(actor);
  const timeZone = await viewerTimeZone(services, actor);
  const { range, errors, typed } = parseDashboardRange(params, calendarDay(services.clock.now(), timeZone));
  return { ...(await dashboardFigures(services, actor, range, timeZone)), errors, typed };
}

export async function dashboardFigures(
  services: Pick<Services, "db" | "clock">,
  actor: Actor,
  range: DashboardRange,
  knownTimeZone?: string,
): Promise<Dashboard> {
  requireStaff(actor);
  const { db } = services;
  const scope: DashboardScope = isAdminRole(actor.role) ? "all" : "mine";
  const timeZone = knownTimeZone ?? (await viewerTimeZone(services, actor));
  const now = services.clock.now();
  const today = calendarDay(now, timeZone);
  // The range's days in the viewer's zone, as instants.
  const start = zonedInstant(range.from, 0, 0, timeZone);
  const end = zonedInstant(addDays(range.to, 1), 0, 0, timeZone);
  const mineOnly = (column: Prisma.Sql) => (scope === "mine" ? Prisma.sql`AND ${column} = ${actor.id}` : Prisma.empty);

  const [active, forum, unanswered, chat, ideas, products, stages, overdue] = await Promise.all([
    db.$queryRaw<{ last7: bigint; last30: bigint; total: bigint }[]>`
      SELECT count(*) FILTER (WHERE u."lastActivityAt" >= ${new Date(now.getTime() - 7 * DAY_MS)}) AS "last7",
             count(*) FILTER (WHERE u."lastActivityAt" >= ${new Date(now.getTime() - 30 * DAY_MS)}) AS "last30",
             count(*) AS "total"
      FROM "User" u
      WHERE u."role" IN ('member', 'moderator') AND u."deletedAt" IS NULL ${mineOnly(Prisma.sql`u."accountManagerId"`)}`,

    db.$queryRaw<{ day: Date; threads: bigint; replies: bigint }[]>`
      SELECT ((p."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date AS "day",
             count(*) FILTER (WHERE p."position" = 1) AS "threads",
             count(*) FILTER (WHERE p."position" > 1) AS "replies"
      FROM "ForumPost" p JOIN "ForumThread" t ON t."id" = p."threadId"
      WHERE p."createdAt" >= ${start} AND p."createdAt" < ${end}
        AND p."deletedAt" IS NULL AND p."hiddenAt" IS NULL AND t."deletedAt" IS NULL
      GROUP BY 1 ORDER BY 1`,

    // Started in the range and still without a visible reply from anyone but the author.
    db.$queryRaw<{ id: string; title: string; createdAt: Date; total: bigint }[]>`
      SELECT t."id", t."title", t."createdAt", count(*) OVER () AS "total"
      FROM "ForumThread" t
      JOIN "ForumPost" op ON op."threadId" = t."id" AND op."position" = 1
      WHERE t."deletedAt" IS NULL AND op."deletedAt" IS NULL AND op."hiddenAt" IS NULL
        AND t."createdAt" >= ${start} AND t."createdAt" < ${end}
        AND NOT EXISTS (
          SELECT 1 FROM "ForumPost" r
          WHERE r."threadId" = t."id" AND r."position" > 1 AND r."authorId" <> t."authorId"
            AND r."deletedAt" IS NULL AND r."hiddenAt" IS NULL)
      ORDER BY t."createdAt" ASC, t."id" ASC
      LIMIT 5`,

    // responseSeconds is on the staff reply that ended a member's wait.
    db.$queryRaw<{ median: number | null; p90: number | null; replies: bigint }[]>`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY m."responseSeconds")::float8 AS "median",
             percentile_cont(0.9) WITHIN GROUP (ORDER BY m."responseSeconds")::float8 AS "p90",
             count(*) AS "replies"
      FROM "ChatMessage" m
      JOIN "Conversation" c ON c."id" = m."conversationId"
      JOIN "User" u ON u."id" = c."memberId"
      WHERE m."responseSeconds" IS NOT NULL AND m."createdAt" >= ${start} AND m."createdAt" < ${end}
        ${mineOnly(Prisma.sql`u."accountManagerId"`)}`,

    db.idea.groupBy({
      by: ["status"],
      where: { deletedAt: null, createdAt: { gte: start, lt: end } },
      _count: { _all: true },
    }),

    db.$queryRaw<{ id: string; slug: string; nameVi: string; nameEn: string; reviewCount: number; average: number }[]>`
      SELECT "id", "slug", "nameVi", "nameEn", "reviewCount", ("ratingSum"::float8 / "reviewCount") AS "average"
      FROM "Product" WHERE "reviewCount" > 0
      ORDER BY "average" DESC, "reviewCount" DESC, "id" ASC
      LIMIT 50`,

    db.user.groupBy({
      by: ["stage"],
      where: { role: { in: ["member", "moderator"] }, deletedAt: null, ...(scope === "mine" ? { accountManagerId: actor.id } : {}) },
      _count: { _all: true },
    }),

    // Staff: tasks about their members or given to them.
    db.$queryRaw<{ id: string; displayName: string; count: bigint }[]>`
      SELECT a."id", a."displayName", count(*) AS "count"
      FROM "FollowUpTask" t
      JOIN "User" a ON a."id" = t."assigneeId"
      JOIN "User" m ON m."id" = t."memberId"
      WHERE t."doneAt" IS NULL AND t."dueOn" < ${today}::date AND m."deletedAt" IS NULL
        ${scope === "mine" ? Prisma.sql`AND (m."accountManagerId" = ${actor.id} OR t."assigneeId" = ${actor.id})` : Prisma.empty}
      GROUP BY a."id", a."displayName"
      ORDER BY count(*) DESC, a."displayName" ASC`,
  ]);

  const byDay = new Map(forum.map((row) => [dateToDay(row.day), row]));
  const forumByDay = Array.from({ length: range.days }, (_, i) => {
    const day = addDays(range.from, i);
    const row = byDay.get(day);
    return { day, threads: n(row?.threads), replies: n(row?.replies) };
  });
  const ideaCounts = new Map(ideas.map((row) => [row.status, row._count._all]));
  const stageCounts = new Map(stages.map((row) => [row.stage, row._count._all]));
  const overdueRows = overdue.map((row) => ({ id: row.id, displayName: row.displayName, count: n(row.count) }));

  return {
    scope,
    timeZone,
    today,
    range,
    activeMembers: { last7: n(active[0]?.last7), last30: n(active[0]?.last30), total: n(active[0]?.total) },
    forumByDay,
    unanswered: {
      count: n(unanswered[0]?.total),
      oldest: unanswered.map((row) => ({ id: row.id, title: row.title, createdAt: row.createdAt.toISOString() })),
    },
    chatResponse: {
      median: chat[0]?.median === null || chat[0]?.median === undefined ? null : Math.round(chat[0].median),
      p90: chat[0]?.p90 === null || chat[0]?.p90 === undefined ? null : Math.round(chat[0].p90),
      replies: n(chat[0]?.replies),
    },
    ideasByStatus: IDEA_STATUSES.map((status) => ({ status, count: ideaCounts.get(status) ?? 0 })),
    ratings: products.map((p) => ({
      productId: p.id,
      slug: p.slug,
      nameVi: p.nameVi,
      nameEn: p.nameEn,
      reviewCount: n(p.reviewCount),
      average: Math.round(Number(p.average) * 100) / 100,
    })),
    stages: STAGES.map((stage) => ({ stage, count: stageCounts.get(stage) ?? 0 })),
    overdueTasks: { total: overdueRows.reduce((sum, row) => sum + row.count, 0), byAssignee: overdueRows },
  };
}
