/**
 * The console's member list: search, filters, sort, pages and CSV export of
 * the same filter. Staff see the members assigned to them and those whose
 * manager they cover right now; admins see everyone. The scope is applied in
 * the query, never after it.
 */
import { z } from "zod";
import { Prisma } from "~/generated/prisma/client";
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { AccessDenied } from "../policy/access-denied";
import { recordAudit } from "../audit/audit.server";
import { visibleManagers } from "../policy/member-scope.server";
import { engagementBandRange, STAGES } from "./engagement";
import { isStaffRole } from "../policy/permissions";
import { getSegment } from "../segments/segments.server";
import { segmentSql } from "../segments/where.server";

export const MEMBERS_PAGE = 25;
export const CSV_MAX_ROWS = 10_000;

export const MemberFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  stage: z.enum(STAGES).optional().catch(undefined),
  // "mine" (default for staff), "all" (what the viewer may see), "none", or a staff id (admins).
  manager: z.string().max(64).optional().catch(undefined),
  tag: z.string().trim().toLowerCase().max(40).optional().catch(undefined),
  active: z.enum(["7", "30", "90", "inactive90"]).optional().catch(undefined),
  engagement: z.enum(["low", "medium", "high"]).optional().catch(undefined),
  // A saved segment's id: its conditions are ANDed into the rest (the scope above still applies).
  segment: z.string().trim().max(64).optional().catch(undefined),
  sort: z.enum(["name", "activity", "score", "since"]).catch("activity"),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type MemberFilter = z.infer<typeof MemberFilterSchema>;

export function parseMemberFilter(params: URLSearchParams): MemberFilter {
  return MemberFilterSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
}

const isStaff = (actor: Actor) => isStaffRole(actor.role);

/**
 * The viewer's scope and the chosen filters as one SQL condition on `"User" u`, and the segment
 * applied: null when none was asked, "unknown" when the id names no live segment (then it is left
 * out, and the caller says so: the page with a notice, the CSV with a 404, so an export never
 * silently widens). SQL rather than a Prisma filter so a segment is ANDed in as its own SQL
 * (segmentSql: an OR of relation conditions is a UNION of member ids, not a check per member).
 */
async function whereFor(services: Pick<Services, "db" | "realtime" | "clock" | "search">, actor: Actor, filter: MemberFilter) {
  if (!isStaff(actor)) throw new AccessDenied();
  const now = services.clock.now();
  const and: Prisma.Sql[] = [Prisma.sql`u."deletedAt" IS NULL AND u."role" IN ('member', 'moderator')`];
  const managers = await visibleManagers(services, actor);
  if (managers !== "all") {
    // The one member-scope rule's managers: their own, and those they cover right now.
    const visible = managers;
    const chosen = filter.manager === "all" ? visible : [filter.manager && visible.includes(filter.manager) ? filter.manager : actor.id];
    and.push(Prisma.sql`u."accountManagerId" IN (${Prisma.join(chosen)})`);
  } else if (filter.manager === "none") {
    and.push(Prisma.sql`u."accountManagerId" IS NULL`);
  } else if (filter.manager === "mine") {
    and.push(Prisma.sql`u."accountManagerId" = ${actor.id}`);
  } else if (filter.manager && filter.manager !== "all") {
    and.push(Prisma.sql`u."accountManagerId" = ${filter.manager}`);
  }
  if (filter.q) {
    const q = filter.q;
    // The search engine adds what ILIKE misses ("nguyen van an" for "Nguyễn Văn An", a typo); the
    // scope above still applies, so asking it as an admin widens nothing (docs/decisions/010-search.md).
    const found = await services.search.search({ q, kinds: ["member"], offset: 0, limit: 500 }, { role: "admin", managerIds: [] });
    const ids = found.hits.map((h) => h.sourceId);
    const like = (column: string) => Prisma.sql`u.${Prisma.raw(`"${column}"`)} ILIKE ('%' || ${q} || '%')`;
    and.push(Prisma.sql`(${Prisma.join([like("displayName"), like("email"), like("company"), ...(ids.length ? [Prisma.sql`u."id" IN (${Prisma.join(ids)})`] : [])], " OR ")})`);
  }
  if (filter.stage) and.push(Prisma.sql`u."stage" = CAST(${filter.stage}::text AS "RelationshipStage")`);
  if (filter.tag) and.push(Prisma.sql`u."id" IN (SELECT "memberId" FROM "MemberTag" WHERE "tag" = ${filter.tag})`);
  if (filter.active) {
    const days = filter.active === "inactive90" ? 90 : Number(filter.active);
    const since = Prisma.sql`${new Date(now.getTime() - days * 86_400_000).toISOString()}::timestamp`;
    and.push(filter.active === "inactive90" ? Prisma.sql`(u."lastActivityAt" IS NULL OR u."lastActivityAt" < ${since})` : Prisma.sql`u."lastActivityAt" >= ${since}`);
  }
  if (filter.engagement) {
    const { gte, lte } = engagementBandRange(filter.engagement);
    and.push(lte === undefined ? Prisma.sql`u."engagementScore" >= ${gte}` : Prisma.sql`u."engagementScore" BETWEEN ${gte} AND ${lte}`);
  }
  let segment: { id: string; name: string } | "unknown" | null = null;
  if (filter.segment) {
    const found = await getSegment(services, filter.segment);
    segment = found ? { id: found.id, name: found.name } : "unknown";
    if (found) and.push(segmentSql(found.definition, now));
  }
  return { where: Prisma.join(and, " AND "), segment };
}

/** ORDER BY for the chosen sort: a fixed column (never the query string's text), ties by id. */
function orderFor(filter: MemberFilter): Prisma.Sql {
  const dir = Prisma.raw((filter.dir ?? (filter.sort === "name" ? "asc" : "desc")) === "asc" ? "ASC" : "DESC");
  const column = { name: `u."displayName"`, score: `u."engagementScore"`, since: `u."createdAt"`, activity: `u."lastActivityAt"` }[filter.sort];
  return Prisma.sql`${Prisma.raw(column)} ${dir}${filter.sort === "activity" ? Prisma.raw(" NULLS LAST") : Prisma.empty}, u."id" ASC`;
}

/** The ids of the members matching, in the chosen order. */
async function idsFor(db: Services["db"], where: Prisma.Sql, filter: MemberFilter, take: number, skip = 0) {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT u."id" FROM "User" u WHERE ${where} ORDER BY ${orderFor(filter)} LIMIT ${take} OFFSET ${skip}`;
  return rows.map((r) => r.id);
}

/** The rows for these ids, in their order. */
async function rowsFor(db: Services["db"], ids: string[]) {
  const rows = await db.user.findMany({ where: { id: { in: ids } }, select: ROW_SELECT });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

const ROW_SELECT = {
  id: true, displayName: true, email: true, company: true, phone: true, avatarKey: true, stage: true, engagementScore: true,
  lastActivityAt: true, createdAt: true, accountManager: { select: { id: true, displayName: true } }, tags: { select: { tag: true }, orderBy: { tag: "asc" } },
} as const;

export async function searchMembers(services: Pick<Services, "db" | "realtime" | "clock" | "search">, actor: Actor, filter: MemberFilter) {
  const { where, segment } = await whereFor(services, actor, filter);
  const [[counted], ids] = await Promise.all([
    services.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "User" u WHERE ${where}`,
    idsFor(services.db, where, filter, MEMBERS_PAGE, (filter.page - 1) * MEMBERS_PAGE),
  ]);
  const total = counted?.n ?? 0;
  const rows = await rowsFor(services.db, ids);
  return { total, page: filter.page, pages: Math.max(1, Math.ceil(total / MEMBERS_PAGE)), rows, segment };
}

/** Tags in use among the members this viewer may see, for the filter. */
export async function tagsInUse(services: Pick<Services, "db">) {
  const rows = await services.db.memberTag.groupBy({ by: ["tag"], _count: { _all: true }, orderBy: { tag: "asc" }, take: 200 });
  return rows.map((r) => r.tag);
}

/** A spreadsheet opens "=…" as a formula: prefix such cells (OWASP CSV injection). */
function csvCell(value: string | number | null | undefined) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV, or null when the filter names a segment that does not exist (the route answers 404). */
export async function exportMembersCsv(services: Pick<Services, "db" | "realtime" | "clock" | "search">, actor: Actor, filter: MemberFilter, meta: { ip: string }) {
  const { where, segment } = await whereFor(services, actor, filter);
  if (segment === "unknown") return null;
  const ids = await idsFor(services.db, where, filter, CSV_MAX_ROWS);
  const rows = [];
  for (let i = 0; i < ids.length; i += 1_000) rows.push(...(await rowsFor(services.db, ids.slice(i, i + 1_000))));
  const header = ["name", "email", "company", "phone", "stage", "account_manager", "engagement_score", "last_activity", "member_since", "tags"];
  const lines = rows.map((r) =>
    [
      r.displayName, r.email, r.company, r.phone, r.stage, r.accountManager?.displayName ?? "", r.engagementScore,
      r.lastActivityAt?.toISOString() ?? "", r.createdAt.toISOString(), r.tags.map((t) => t.tag).join(" "),
    ].map(csvCell).join(","),
  );
  const { page: _page, ...filterForAudit } = filter;
  await recordAudit(services.db, {
    actorId: actor.id,
    action: "member.list_exported",
    data: { rows: rows.length, filter: JSON.stringify(filterForAudit).slice(0, 500) },
    ip: meta.ip,
    at: services.clock.now(),
  });
  // A BOM so spreadsheet programs read the Vietnamese names as UTF-8.
  return `\uFEFF${[header.join(","), ...lines].join("\r\n")}\r\n`;
}
