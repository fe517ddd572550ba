/**
 * The console's member list: search, filters, sort, pages and CSV export of
 * the same filter. Staff see the members assigned to them and those whose
 * manager they cover right now; admins see everyone. The scope is applied in
 * the query, never after it.
 */
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { AccessDenied } from "../policy/access-denied";
import { recordAudit } from "../audit/audit.server";
import { visibleManagers } from "../policy/member-scope.server";
import { engagementBandRange, STAGES } from "./engagement";
import { isStaffRole } from "../policy/permissions";
import { getSegment } from "../segments/segments.server";
import { segmentWhere } from "../segments/where.server";

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
 * The viewer's scope and the chosen filters as one Prisma where, and the segment applied: null when
 * none was asked, "unknown" when the id names no live segment (then it is left out, and the caller
 * says so: the page with a notice, the CSV with a 404, so an export never silently widens).
 */
async function whereFor(services: Pick<Services, "db" | "realtime" | "clock" | "search">, actor: Actor, filter: MemberFilter) {
  if (!isStaff(actor)) throw new AccessDenied();
  const now = services.clock.now();
  const and: Prisma.UserWhereInput[] = [{ deletedAt: null, role: { in: ["member", "moderator"] } }];
  const managers = await visibleManagers(services, actor);
  if (managers !== "all") {
    // The one member-scope rule's managers: their own, and those they cover right now.
    const visible = managers;
    and.push({ accountManagerId: filter.manager === "all" ? { in: visible } : filter.manager && visible.includes(filter.manager) ? filter.manager : actor.id });
  } else if (filter.manager === "none") {
    and.push({ accountManagerId: null });
  } else if (filter.manager === "mine") {
    and.push({ accountManagerId: actor.id });
  } else if (filter.manager && filter.manager !== "all") {
    and.push({ accountManagerId: filter.manager });
  }
  if (filter.q) {
    const q = filter.q;
    // The search engine adds what ILIKE misses ("nguyen van an" for "Nguyễn Văn An", a typo); the
    // scope above still applies, so asking it as an admin widens nothing (docs/decisions/010-search.md).
    const found = await services.search.search({ q, kinds: ["member"], offset: 0, limit: 500 }, { role: "admin", managerIds: [] });
    const ids = found.hits.map((h) => h.sourceId);
    and.push({
      OR: [
        { displayName: { contains: q, mode: "insensitive" } },
        { email: { contains: q, mode: "insensitive" } },
        { company: { contains: q, mode: "insensitive" } },
        ...(ids.length ? [{ id: { in: ids } }] : []),
      ],
    });
  }
  if (filter.stage) and.push({ stage: filter.stage });
  if (filter.tag) and.push({ tags: { some: { tag: filter.tag } } });
  if (filter.active) {
    const days = filter.active === "inactive90" ? 90 : Number(filter.active);
    const since = new Date(now.getTime() - days * 86_400_000);
    and.push(filter.active === "inactive90" ? { OR: [{ lastActivityAt: null }, { lastActivityAt: { lt: since } }] } : { lastActivityAt: { gte: since } });
  }
  if (filter.engagement) {
    and.push({ engagementScore: engagementBandRange(filter.engagement) });
  }
  let segment: { id: string; name: string } | "unknown" | null = null;
  if (filter.segment) {
    const found = await getSegment(services, filter.segment);
    segment = found ? { id: found.id, name: found.name } : "unknown";
    if (found) and.push(segmentWhere(found.definition, now));
  }
  return { where: { AND: and } satisfies Prisma.UserWhereInput, segment };
}

function orderFor(filter: MemberFilter): Prisma.UserOrderByWithRelationInput[] {
  const dir = filter.dir ?? (filter.sort === "name" ? "asc" : "desc");
  const tie: Prisma.UserOrderByWithRelationInput = { id: "asc" };
  switch (filter.sort) {
    case "name":
      return [{ displayName: dir }, tie];
    case "score":
      return [{ engagementScore: dir }, tie];
    case "since":
      return [{ createdAt: dir }, tie];
    default:
      return [{ lastActivityAt: { sort: dir, nulls: "last" } }, tie];
  }
}

const ROW_SELECT = {
  id: true, displayName: true, email: true, company: true, phone: true, avatarKey: true, stage: true, engagementScore: true,
  lastActivityAt: true, createdAt: true, accountManager: { select: { id: true, displayName: true } }, tags: { select: { tag: true }, orderBy: { tag: "asc" } },
} as const;

export async function searchMembers(services: Pick<Services, "db" | "realtime" | "clock" | "search">, actor: Actor, filter: MemberFilter) {
  const { where, segment } = await whereFor(services, actor, filter);
  const [total, rows] = await Promise.all([
    services.db.user.count({ where }),
    services.db.user.findMany({ where, orderBy: orderFor(filter), skip: (filter.page - 1) * MEMBERS_PAGE, take: MEMBERS_PAGE, select: ROW_SELECT }),
  ]);
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
  const rows = await services.db.user.findMany({ where, orderBy: orderFor(filter), take: CSV_MAX_ROWS, select: ROW_SELECT });
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
