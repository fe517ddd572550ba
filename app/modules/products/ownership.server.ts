/**
 * "Verified owner": staff record which members own which product, one at a
 * time or in bulk (a pasted list of emails or @usernames). Staff may record
 * it for the members they manage, admins for anyone. Each recording is the
 * member's touchpoint and an audited staff action, in one transaction.
 */
import type { Db, Services } from "../services.server";
import type { Actor } from "../members/access.server";
import { hasPermission } from "../policy/permissions";
import { recordTouchpoint } from "../timeline/touchpoints.server";
import { recordAudit } from "../audit/audit.server";
import { uploadUrl } from "../storage/images.server";
import { BULK_OWNERS_MAX } from "./product-schemas";


/** Who the actor may record ownership for: null means anyone, otherwise only their own members. */
function ownershipScope(actor: Actor): { managerId: string | null } | "none" {
  if (hasPermission(actor, "product:ownership:any")) return { managerId: null };
  if (hasPermission(actor, "product:ownership:assigned")) return { managerId: actor.id };
  return "none";
}

/** Splits a pasted list: one email or @username per line, or separated by commas, semicolons or spaces. */
export function parseMemberList(text: string) {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim().replace(/^@/, "").toLowerCase()).filter(Boolean))];
}

export interface OwnershipReport {
  recorded: string[];
  already: string[];
  unknown: string[];
  notYours: string[];
}

export async function recordOwners(
  services: Services,
  actor: Actor,
  productId: string,
  list: string,
): Promise<{ ok: true; report: OwnershipReport } | { ok: false; error: "notAllowed" | "notFound" | "empty" | "tooMany" }> {
  const scope = ownershipScope(actor);
  if (scope === "none") return { ok: false, error: "notAllowed" };
  const wanted = parseMemberList(list);
  if (wanted.length === 0) return { ok: false, error: "empty" };
  if (wanted.length > BULK_OWNERS_MAX) return { ok: false, error: "tooMany" };
  const product = await services.db.product.findUnique({ where: { id: productId }, select: { id: true, nameVi: true, nameEn: true, slug: true } });
  if (!product) return { ok: false, error: "notFound" };
  const people = await services.db.user.findMany({
    where: { deletedAt: null, OR: [{ email: { in: wanted } }, { username: { in: wanted } }] },
    select: { id: true, email: true, username: true, displayName: true, accountManagerId: true },
  });
  const report: OwnershipReport = { recorded: [], already: [], unknown: [], notYours: [] };
  const found = new Map<string, (typeof people)[number]>();
  for (const p of people) {
    found.set(p.email, p);
    found.set(p.username, p);
  }
  const allowed = new Map<string, (typeof people)[number]>();
  for (const key of wanted) {
    const person = found.get(key);
    if (!person) report.unknown.push(key);
    else if (scope.managerId && person.accountManagerId !== scope.managerId) report.notYours.push(person.displayName);
    else allowed.set(person.id, person);
  }
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    const existing = new Set(
      (await tx.productOwnership.findMany({ where: { productId, memberId: { in: [...allowed.keys()] } }, select: { memberId: true } })).map((o) => o.memberId),
    );
    const fresh = [...allowed.values()].filter((p) => !existing.has(p.id));
    report.already.push(...[...allowed.values()].filter((p) => existing.has(p.id)).map((p) => p.displayName));
    await tx.productOwnership.createMany({
      data: fresh.map((p) => ({ productId, memberId: p.id, recordedById: actor.id, recordedAt: now })),
      skipDuplicates: true,
    });
    for (const person of fresh) {
      await recordTouchpoint(tx, {
        memberId: person.id, kind: "product.owner_recorded", actorId: actor.id,
        subject: { type: "product", id: productId }, data: { product: product.nameVi, productEn: product.nameEn, link: `/products/${product.slug}` }, at: now,
      });
      await recordAudit(tx, {
        actorId: actor.id, action: "product.owner_recorded", targetMemberId: person.id,
        subject: { type: "product", id: productId }, data: { slug: product.slug }, at: now,
      });
      report.recorded.push(person.displayName);
    }
  });
  return { ok: true, report };
}

export async function removeOwner(
  services: Services,
  actor: Actor,
  productId: string,
  memberId: string,
): Promise<{ ok: true } | { ok: false; error: "notAllowed" | "notFound" }> {
  const scope = ownershipScope(actor);
  if (scope === "none") return { ok: false, error: "notAllowed" };
  const row = await services.db.productOwnership.findUnique({
    where: { productId_memberId: { productId, memberId } },
    select: { member: { select: { accountManagerId: true } }, product: { select: { nameVi: true, nameEn: true, slug: true } } },
  });
  if (!row) return { ok: false, error: "notFound" };
  if (scope.managerId && row.member.accountManagerId !== scope.managerId) return { ok: false, error: "notAllowed" };
  const now = services.clock.now();
  await services.db.$transaction(async (tx) => {
    await tx.productOwnership.delete({ where: { productId_memberId: { productId, memberId } } });
    await recordTouchpoint(tx, {
      memberId, kind: "product.owner_removed", actorId: actor.id, subject: { type: "product", id: productId },
      data: { product: row.product.nameVi, productEn: row.product.nameEn, link: `/products/${row.product.slug}` }, at: now,
    });
    await recordAudit(tx, { actorId: actor.id, action: "product.owner_removed", targetMemberId: memberId, subject: { type: "product", id: productId }, at: now });
  });
  return { ok: true };
}

/** The owners the actor may see: all for admins, their own members for staff, nobody otherwise. */
export async function listOwners(db: Db, actor: Actor, productId: string) {
  const scope = ownershipScope(actor);
  if (scope === "none") return [];
  const rows = await db.productOwnership.findMany({
    where: { productId, ...(scope.managerId ? { member: { accountManagerId: scope.managerId } } : {}) },
    orderBy: { recordedAt: "desc" },
    take: 500,
    select: { recordedAt: true, member: { select: { id: true, displayName: true, email: true, username: true } } },
  });
  return rows.map((r) => ({ ...r.member, recordedAt: r.recordedAt }));
}

/** "My products": what a member owns, with their own review if they wrote one. */
export async function ownedProducts(db: Db, memberId: string) {
  const rows = await db.productOwnership.findMany({
    where: { memberId },
    orderBy: { recordedAt: "desc" },
    select: {
      recordedAt: true,
      product: {
        select: {
          id: true, slug: true, nameVi: true, nameEn: true, imageKey: true, status: true,
          reviews: { where: { authorId: memberId }, select: { id: true, rating: true } },
        },
      },
    },
  });
  return rows.map(({ recordedAt, product: { reviews, imageKey, ...product } }) => ({
    ...product,
    image: uploadUrl(imageKey),
    since: recordedAt,
    myReview: reviews[0] ?? null,
  }));
}

/** Of these members, the ones who own the product: one query for a page of reviews. */
export async function verifiedOwners(db: Db, productId: string, memberIds: string[]) {
  if (memberIds.length === 0) return new Set<string>();
  const rows = await db.productOwnership.findMany({ where: { productId, memberId: { in: memberIds } }, select: { memberId: true } });
  return new Set(rows.map((r) => r.memberId));
}
