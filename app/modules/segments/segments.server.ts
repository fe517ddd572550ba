/**
 * Segments: saved audiences, evaluated in one query whenever they are used (the members table,
 * CSV export, announcements, offers). Whatever the definition says, a staff member only ever
 * reaches their own share: the member scope is ANDed into every evaluation, so the same segment
 * counts 40 for Mai, 12 for Nam and 300 for an admin.
 */
import { z } from "zod";
import { Prisma } from "~/generated/prisma/client";
import type { Services } from "../services.server";
import type { Actor } from "../policy/actor";
import { can } from "../policy/can";
import { memberScopeWhere, visibleManagers, type ScopeServices } from "../policy/member-scope.server";
import { isAdminRole } from "../policy/permissions";
import { managersCoveredBy } from "../presence/coverage.server";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { newSortableId } from "../ids.server";
import { parseDefinition, SEGMENT_LIMITS, type SegmentDefinition } from "./definition";
import { SEGMENT_POPULATION, segmentSql, segmentWhere } from "./where.server";

export const SEGMENT_SAMPLE = 10;

/** The members a segment reaches for this viewer: population ∧ their scope ∧ the conditions. */
export async function segmentMembersWhere(services: ScopeServices & Pick<Services, "clock">, actor: Actor, definition: SegmentDefinition): Promise<Prisma.UserWhereInput> {
  return { AND: [SEGMENT_POPULATION, await memberScopeWhere(services, actor), segmentWhere(definition, services.clock.now())] };
}

/** The same as one SQL condition on `"User" u`, for the segment's own count and pages (where.server.ts says why). */
export async function segmentMembersSql(services: ScopeServices & Pick<Services, "clock">, actor: Actor, definition: SegmentDefinition): Promise<Prisma.Sql> {
  const managers = await visibleManagers(services, actor);
  const scope = managers === "all" ? Prisma.empty : managers.length ? Prisma.sql` AND u."accountManagerId" IN (${Prisma.join(managers)})` : Prisma.sql` AND FALSE`;
  return Prisma.sql`u."deletedAt" IS NULL AND u."role" IN ('member', 'moderator')${scope} AND ${segmentSql(definition, services.clock.now())}`;
}

/** How many members a segment reaches for this viewer. */
export async function countSegment(services: ScopeServices & Pick<Services, "db" | "clock">, actor: Actor, definition: SegmentDefinition) {
  const [row] = await services.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "User" u WHERE ${await segmentMembersSql(services, actor, definition)}`;
  return row?.n ?? 0;
}

/** How many of a segment's members (for this viewer) have consented to `channel`, and how many not (no answer counts as not). */
export async function countSegmentByConsent(services: ScopeServices & Pick<Services, "db" | "clock">, actor: Actor, definition: SegmentDefinition, channel: string) {
  const [row] = await services.db.$queryRaw<{ consenting: number; not: number }[]>`
    SELECT count(*) FILTER (WHERE c."memberId" IS NOT NULL)::int AS consenting, count(*) FILTER (WHERE c."memberId" IS NULL)::int AS "not"
    FROM "User" u LEFT JOIN "MemberConsent" c ON c."memberId" = u."id" AND c."channel" = ${channel} AND c."granted" = TRUE
    WHERE ${await segmentMembersSql(services, actor, definition)}`;
  return { consenting: row?.consenting ?? 0, not: row?.not ?? 0 };
}

/**
 * A page of a segment's members for this viewer in id order after `after`, each with their time zone
 * and whether they consented to `channel`: how an announcement's audience becomes delivery rows,
 * through the segment's own SQL (an OR of relation conditions stays a union, ADR 018).
 */
export async function segmentPageByConsent(services: ScopeServices & Pick<Services, "db" | "clock">, actor: Actor, definition: SegmentDefinition, channel: string, after: string | null, take: number) {
  return services.db.$queryRaw<{ id: string; timezone: string; consenting: boolean }[]>`
    SELECT u."id", u."timezone", (c."memberId" IS NOT NULL) AS consenting
    FROM "User" u LEFT JOIN "MemberConsent" c ON c."memberId" = u."id" AND c."channel" = ${channel} AND c."granted" = TRUE
    WHERE ${await segmentMembersSql(services, actor, definition)}${after === null ? Prisma.empty : Prisma.sql` AND u."id" > ${after}`}
    ORDER BY u."id" LIMIT ${take}`;
}

const PAGE_ORDER = {
  score: Prisma.sql`u."engagementScore" DESC, u."id" ASC`,
  activity: Prisma.sql`u."lastActivityAt" DESC NULLS LAST, u."id" ASC`,
} as const;

/** The ids of a first page of a segment's members for this viewer: highest score or newest activity first. */
export async function segmentPageIds(services: ScopeServices & Pick<Services, "db" | "clock">, actor: Actor, definition: SegmentDefinition, order: keyof typeof PAGE_ORDER, take: number) {
  const rows = await services.db.$queryRaw<{ id: string }[]>`SELECT u."id" FROM "User" u WHERE ${await segmentMembersSql(services, actor, definition)} ORDER BY ${PAGE_ORDER[order]} LIMIT ${take}`;
  return rows.map((r) => r.id);
}

/** The live count and a first few members, as the editor shows them while conditions change. */
export async function previewSegment(services: ScopeServices & Pick<Services, "db" | "clock">, actor: Actor, definition: SegmentDefinition) {
  const [count, ids] = await Promise.all([countSegment(services, actor, definition), segmentPageIds(services, actor, definition, "score", SEGMENT_SAMPLE)]);
  const rows = await services.db.user.findMany({
    where: { id: { in: ids } },
    select: { id: true, displayName: true, stage: true, engagementScore: true, locale: true, accountManager: { select: { displayName: true } } },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { count, sample: ids.flatMap((id) => byId.get(id) ?? []) };
}

const SEGMENT_SELECT = { id: true, name: true, description: true, definition: true, createdById: true, createdAt: true, updatedAt: true, createdBy: { select: { displayName: true } } } as const;

/** Every live segment, each with its count for this viewer. */
export async function listSegments(services: ScopeServices & Pick<Services, "db" | "clock">, actor: Actor) {
  const rows = await services.db.segment.findMany({ where: { archivedAt: null }, orderBy: [{ name: "asc" }, { id: "asc" }], select: SEGMENT_SELECT });
  return Promise.all(
    rows.map(async (row) => {
      const parsed = parseDefinition(row.definition);
      const count = parsed.ok ? await countSegment(services, actor, parsed.definition) : null;
      return { ...row, definition: parsed.ok ? parsed.definition : null, count };
    }),
  );
}

/** For the outreach hub: how many segments are saved (every staff member uses any of them). */
export async function segmentSummary(services: Pick<Services, "db">) {
  return { saved: await services.db.segment.count({ where: { archivedAt: null } }) };
}

/** Live segments' names, for a filter's choices (no counts: cheap on every members page). */
export async function segmentChoices(services: Pick<Services, "db">) {
  return services.db.segment.findMany({ where: { archivedAt: null }, orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true, name: true } });
}

/** One live segment with its parsed definition, or null (unknown id, archived, or stored shape no longer valid). */
export async function getSegment(services: Pick<Services, "db">, id: string) {
  const row = await services.db.segment.findFirst({ where: { id, archivedAt: null }, select: SEGMENT_SELECT });
  if (!row) return null;
  const parsed = parseDefinition(row.definition);
  return parsed.ok ? { ...row, definition: parsed.definition } : null;
}

/**
 * What the editor offers: staff who manage members (every one for an admin; for staff, themself and
 * whom they cover, as the scope cuts the rest anyway) and active products. Ids the saved
 * definition already names are kept even when retired or gone, so opening it never drops them.
 */
export async function segmentEditorOptions(services: ScopeServices, actor: Actor, definition: SegmentDefinition | null) {
  const named = (field: "manager" | "owns_product") =>
    (definition?.groups ?? []).flatMap((g) => g.conditions.flatMap((c) => (c.field === field ? c.values : []))).filter((v) => v !== "none");
  const nameOrder = [{ displayName: "asc" as const }, { id: "asc" as const }];
  const [managers, products] = await Promise.all([
    isAdminRole(actor.role)
      ? services.db.user.findMany({ where: { OR: [{ role: { in: ["staff", "admin"] }, deletedAt: null }, { id: { in: named("manager") } }] }, orderBy: nameOrder, select: { id: true, displayName: true } })
      : managersCoveredBy(services, actor).then(async (covered) => {
          const ids = [actor.id, ...covered.map((m) => m.id), ...named("manager")];
          return services.db.user.findMany({ where: { id: { in: ids } }, orderBy: nameOrder, select: { id: true, displayName: true } });
        }),
    services.db.product.findMany({ where: { OR: [{ status: "active" }, { id: { in: named("owns_product") } }] }, orderBy: [{ nameEn: "asc" }, { id: "asc" }], select: { id: true, nameVi: true, nameEn: true } }),
  ]);
  return { managers, products };
}

/** The definition arrives as JSON text from the editor's hidden field, or as an object from a caller. */
const definitionField = z.unknown().transform((raw, ctx) => {
  if (typeof raw === "string" && raw.length > 50_000) {
    ctx.addIssue({ code: "custom", message: "segment.definitionInvalid" });
    return z.NEVER;
  }
  const parsed = parseDefinition(raw);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  }
  return parsed.definition;
});

const SegmentInput = z.object({
  name: z.string({ required_error: "validation.required" }).trim().min(1, "validation.required").max(SEGMENT_LIMITS.nameMax, "validation.tooLong"),
  description: z
    .string()
    .trim()
    .max(SEGMENT_LIMITS.descriptionMax, "validation.tooLong")
    .optional()
    .transform((v) => v || null),
  definition: definitionField,
});

export const createSegment = defineCommand({
  name: "segment.create",
  who: (actor) => can(actor, "segment.create"),
  input: SegmentInput,
  async run({ tx, now, actor, audit }, input) {
    const id = newSortableId(now);
    await tx.segment.create({ data: { id, name: input.name, description: input.description, definition: input.definition as Prisma.InputJsonValue, createdById: actor.id, createdAt: now, updatedAt: now } });
    await audit({ action: "segment.created", subject: { type: "segment", id }, data: { name: input.name } });
    return { ok: true, id };
  },
});

const SegmentRef = z.object({ segmentId: z.string().min(1).max(64) });
const loadSegment = async (services: Services, { segmentId }: { segmentId: string }) =>
  services.db.segment.findFirst({ where: { id: segmentId, archivedAt: null }, select: { id: true, createdById: true } });

/** Its author or an admin, on a live segment. */
const onASegmentTheyMayChange = {
  who: (actor: Actor) => can(actor, "segment.use"),
  ref: SegmentRef,
  load: loadSegment,
  policy: (actor: Actor, segment: { createdById: string | null }) => can(actor, "segment.change", { authorId: segment.createdById ?? "" }),
};

export const updateSegment = defineCommand({
  name: "segment.update",
  ...onASegmentTheyMayChange,
  input: SegmentInput,
  async run({ tx, now, audit }, input) {
    await tx.segment.update({ where: { id: input.segmentId }, data: { name: input.name, description: input.description, definition: input.definition as Prisma.InputJsonValue, updatedAt: now } });
    await audit({ action: "segment.updated", subject: { type: "segment", id: input.segmentId }, data: { name: input.name } });
    return { ok: true, id: input.segmentId };
  },
});

/** Archived, not deleted: an announcement or offer that went to it still says to whom. */
export const archiveSegment = defineCommand({
  name: "segment.archive",
  ...onASegmentTheyMayChange,
  async run({ tx, now, audit }, { segmentId }) {
    const archived = await tx.segment.updateMany({ where: { id: segmentId, archivedAt: null }, data: { archivedAt: now } });
    if (!archived.count) return fail.notFound();
    await audit({ action: "segment.archived", subject: { type: "segment", id: segmentId } });
    return { ok: true };
  },
});
