/**
 * "Verified owner": staff record which members own which product, one at a
 * time or in bulk (a pasted list of emails or @usernames). Staff may record
 * it for the members they manage, admins for anyone. Each recording is the
 * member's touchpoint and an audited staff action, in one transaction.
 */
import { z } from "zod";
import type { Db } from "../services.server";
import type { Actor } from "../policy/actor";
import { defineCommand } from "../commands/command.server";
import { fail } from "../commands/failure";
import { can } from "../policy/can";
import { uploadUrl } from "../storage/images.server";
import { BULK_OWNERS_MAX } from "./product-schemas";

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

const ProductRef = z.object({ productId: z.string().min(1).max(64) });
const productLink = (p: { nameVi: string; nameEn: string; slug: string }) => ({ product: p.nameVi, productEn: p.nameEn, link: `/products/${p.slug}` });

/** Records the listed members as owners: each new one is their touchpoint and an audited staff action. */
export const recordOwners = defineCommand({
  name: "product.owners_record",
  who: (actor) => can(actor, "product.recordOwners"),
  ref: ProductRef,
  input: z.object({ members: z.string().default("") }),
  load: (services, { productId }) => services.db.product.findUnique({ where: { id: productId }, select: { id: true, nameVi: true, nameEn: true, slug: true } }),
  async run({ tx, now, actor, touchpoint, audit }, { productId, members }, product) {
    const wanted = parseMemberList(members);
    if (wanted.length === 0) return fail.because("empty");
    if (wanted.length > BULK_OWNERS_MAX) return fail.because("tooMany");
    const people = await tx.user.findMany({
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
      else if (!can(actor, "product.recordOwnerOf", person)) report.notYours.push(person.displayName);
      else allowed.set(person.id, person);
    }
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
      await touchpoint({ memberId: person.id, kind: "product.owner_recorded", actorId: actor.id, subject: { type: "product", id: productId }, data: productLink(product) });
      await audit({ action: "product.owner_recorded", targetMemberId: person.id, subject: { type: "product", id: productId }, data: { slug: product.slug } });
      report.recorded.push(person.displayName);
    }
    return { ok: true, report };
  },
});

export const removeOwner = defineCommand({
  name: "product.owner_remove",
  who: (actor) => can(actor, "product.recordOwners"),
  ref: ProductRef.extend({ memberId: z.string().min(1).max(64) }),
  load: (services, { productId, memberId }) =>
    services.db.productOwnership.findUnique({
      where: { productId_memberId: { productId, memberId } },
      select: { member: { select: { accountManagerId: true } }, product: { select: { nameVi: true, nameEn: true, slug: true } } },
    }),
  policy: (actor, row) => can(actor, "product.recordOwnerOf", row.member),
  async run({ tx, actor, touchpoint, audit }, { productId, memberId }, row) {
    await tx.productOwnership.delete({ where: { productId_memberId: { productId, memberId } } });
    await touchpoint({ memberId, kind: "product.owner_removed", actorId: actor.id, subject: { type: "product", id: productId }, data: productLink(row.product) });
    await audit({ action: "product.owner_removed", targetMemberId: memberId, subject: { type: "product", id: productId } });
    return { ok: true };
  },
});

/** The owners the actor may see: all for admins, their own members for staff, nobody otherwise. */
export async function listOwners(db: Db, actor: Actor, productId: string) {
  if (!can(actor, "product.recordOwners")) return [];
  const rows = await db.productOwnership.findMany({
    where: { productId, ...(can(actor, "product.ownersOfAnyone") ? {} : { member: { accountManagerId: actor.id } }) },
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
