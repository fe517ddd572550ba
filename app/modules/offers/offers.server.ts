/**
 * Offers and relationship pricing (issue 18): "the good price is for the regular customer".
 * An offer (bilingual text, kind, validity window, a code mode) is issued to members as grants,
 * one per member and offer. Whom an issue reaches is always: the audience (a segment, or members
 * picked by name) ∧ the issuer's member scope ∧ consent to the "offers" topic.
 *
 * Consent is asked for a personal gift too (a manager picking one member who just reached Loyal):
 * the member's answer to "offers and member prices" is about receiving offers at all, not about a
 * channel, and an offer is still an offer when it comes from their manager. Those without consent
 * are left out and counted as excluded, never issued to; a manager who wants to say thank you
 * without an offer has the chat.
 *
 * Codes: one shared code (shown to everyone, redeemed by staff), a unique code per member that
 * Rapport generates (./codes.ts: crypto random, 60 bits), or a list pasted from the shop handed
 * out in order. A member's own code is unique across all offers (a unique index), so the shop can
 * redeem by the code alone (./shop-api.server.ts). A grant is redeemed once: the update is
 * conditional on "not yet redeemed", so two redemptions racing leave exactly one winner.
 */
import { z } from "zod";
import { Prisma, type OfferCodeMode, type RelationshipStage } from "~/generated/prisma/client";
import { STAGES } from "../console/engagement";
import type { Services } from "../services.server";
import type { Tx } from "../db-types.server";
import type { Actor } from "../policy/actor";
import { can } from "../policy/can";
import { memberScopeWhere, staffRelation, type ScopeServices } from "../policy/member-scope.server";
import { defineCommand, type Steps } from "../commands/command.server";
import { fail, type Failure } from "../commands/failure";
import { newSortableId } from "../ids.server";
import { addDays, isCalendarDay, usableTimeZone, zonedInstant } from "../calendar";
import { requestNotification } from "../notifications/notifications.server";
import { enqueueOutboxEvent, type OutboxHandler } from "../outbox/outbox.server";
import { recordTouchpoints } from "../timeline/touchpoints.server";
import { getSegment, segmentMembersSql, segmentMembersWhere } from "../segments/segments.server";
import { CODE_LIST_MAX, CODE_MAX_LENGTH, generateCode, normalizeCode, parseCodeList, type RandomSource } from "./codes";

export const OFFER_KINDS = ["discount_code", "free_service", "gift", "early_access"] as const;
export const OFFER_CODE_MODES = ["shared", "unique", "list"] as const satisfies readonly OfferCodeMode[];
export const OFFER_LIMITS = { titleMax: 120, descriptionMax: 2000, codesTextMax: 1_000_000, membersMax: 500 } as const;
/** The consent topic an offer needs. */
export const OFFER_CONSENT = "offers";
const consenting: Prisma.UserWhereInput = { consentState: { some: { channel: OFFER_CONSENT, granted: true } } };

// ---------------------------------------------------------------------------------------------
// Writing an offer

const text = (max: number) => z.string({ required_error: "validation.required" }).trim().min(1, "validation.required").max(max, "validation.tooLong");
const day = z.string({ required_error: "validation.required" }).trim().refine(isCalendarDay, "offer.error.date");

const OfferInput = z
  .object({
    titleVi: text(OFFER_LIMITS.titleMax),
    titleEn: text(OFFER_LIMITS.titleMax),
    descriptionVi: text(OFFER_LIMITS.descriptionMax),
    descriptionEn: text(OFFER_LIMITS.descriptionMax),
    kind: z.enum(OFFER_KINDS, { errorMap: () => ({ message: "validation.required" }) }),
    validFrom: day,
    validUntil: day,
    // The days are the writer's: 00:00 of the first to 23:59:59 of the last, in their zone.
    timeZone: z.string().max(64).optional(),
    codeMode: z.enum(OFFER_CODE_MODES, { errorMap: () => ({ message: "validation.required" }) }),
    sharedCode: z.string().trim().max(CODE_MAX_LENGTH, "validation.tooLong").optional().default(""),
    codes: z.string().max(OFFER_LIMITS.codesTextMax, "validation.tooLong").optional().default(""),
  })
  .superRefine((input, ctx) => {
    if (isCalendarDay(input.validFrom) && isCalendarDay(input.validUntil) && input.validUntil < input.validFrom)
      ctx.addIssue({ code: "custom", path: ["validUntil"], message: "offer.error.endsBeforeStart" });
    if (input.codeMode === "shared" && !/^[\x21-\x7e]{1,64}$/.test(input.sharedCode)) ctx.addIssue({ code: "custom", path: ["sharedCode"], message: "offer.error.sharedCode" });
  });
type OfferFields = z.infer<typeof OfferInput>;

function validity(input: OfferFields) {
  const zone = usableTimeZone(input.timeZone);
  return { validFrom: zonedInstant(input.validFrom, 0, 0, zone), validUntil: new Date(zonedInstant(addDays(input.validUntil, 1), 0, 0, zone).getTime() - 1) };
}

function offerData(input: OfferFields) {
  return {
    titleVi: input.titleVi,
    titleEn: input.titleEn,
    descriptionVi: input.descriptionVi,
    descriptionEn: input.descriptionEn,
    kind: input.kind,
    ...validity(input),
  };
}

/**
 * The pasted list, checked against itself and against every code already known (another offer's
 * list, a member's code): a duplicate is a field error naming the codes, never a half-saved list.
 */
async function listCodes(tx: Tx, raw: string, required: boolean): Promise<string[] | Failure> {
  const list = parseCodeList(raw);
  const named = (codes: string[]) => codes.slice(0, 10).join(", ") + (codes.length > 10 ? ", …" : "");
  if (list.invalid.length) return { ...fail.field("codes", "offer.error.codesInvalid"), message: { key: "offer.error.codesInvalidList", vars: { codes: named(list.invalid) } } };
  if (list.duplicates.length) return { ...fail.field("codes", "offer.error.codesDuplicate"), message: { key: "offer.error.codesDuplicateList", vars: { codes: named(list.duplicates) } } };
  if (list.codes.length > CODE_LIST_MAX) return fail.field("codes", "offer.error.codesTooMany");
  if (required && !list.codes.length) return fail.field("codes", "offer.error.codesRequired");
  const known = await codesInUse(tx, list.codes);
  if (known.length) return { ...fail.field("codes", "offer.error.codesTaken"), message: { key: "offer.error.codesTakenList", vars: { codes: named(known) } } };
  return list.codes;
}

async function codesInUse(tx: Tx, codes: string[]) {
  if (!codes.length) return [];
  const [listed, granted] = await Promise.all([
    tx.offerCode.findMany({ where: { code: { in: codes } }, select: { code: true } }),
    tx.offerGrant.findMany({ where: { code: { in: codes } }, select: { code: true } }),
  ]);
  return [...new Set([...listed.map((c) => c.code), ...granted.map((g) => g.code!)])];
}

async function appendCodes(tx: Tx, offerId: string, codes: string[]) {
  if (!codes.length) return;
  const last = await tx.offerCode.aggregate({ where: { offerId }, _max: { position: true } });
  const start = (last._max.position ?? -1) + 1;
  await tx.offerCode.createMany({ data: codes.map((code, i) => ({ offerId, code, position: start + i })) });
}

/** A code taken between the check and the insert (two pastes at once) is the same field error. */
const codeConflict = () => fail.field("codes", "offer.error.codesTaken");

export const createOffer = defineCommand({
  name: "offer.create",
  who: (actor) => can(actor, "offer.create"),
  input: OfferInput,
  async run({ tx, now, actor, audit }, input) {
    const codes = input.codeMode === "list" ? await listCodes(tx, input.codes, true) : [];
    if (!Array.isArray(codes)) return codes;
    const id = newSortableId(now);
    await tx.offer.create({
      data: { id, ...offerData(input), codeMode: input.codeMode, sharedCode: input.codeMode === "shared" ? input.sharedCode : null, createdById: actor.id, createdAt: now, updatedAt: now },
    });
    await appendCodes(tx, id, codes);
    await audit({ action: "offer.created", subject: { type: "offer", id }, data: { title: input.titleEn, codeMode: input.codeMode, codes: codes.length } });
    return { ok: true, id };
  },
  conflict: codeConflict,
});

const OfferRef = z.object({ offerId: z.string().min(1).max(64) });

/**
 * Text, kind and dates may change at any time; the code mode and a shared code only until the
 * first member got it (they hold that code). A list may be extended: pasted codes are added.
 */
export const updateOffer = defineCommand({
  name: "offer.update",
  who: (actor) => can(actor, "offer.use"),
  ref: OfferRef,
  load: (services, { offerId }) =>
    services.db.offer.findUnique({ where: { id: offerId }, select: { id: true, createdById: true, codeMode: true, sharedCode: true, _count: { select: { grants: true } } } }),
  policy: (actor, offer) => can(actor, "offer.change", { authorId: offer.createdById ?? "" }),
  input: OfferInput,
  async run({ tx, now, audit }, input, offer) {
    const issued = offer._count.grants > 0;
    if (issued && input.codeMode !== offer.codeMode) return fail.field("codeMode", "offer.error.codeModeLocked");
    if (issued && offer.codeMode === "shared" && input.sharedCode !== offer.sharedCode) return fail.field("sharedCode", "offer.error.sharedCodeLocked");
    const codes = input.codeMode === "list" ? await listCodes(tx, input.codes, false) : [];
    if (!Array.isArray(codes)) return codes;
    if (input.codeMode !== "list" && !issued) await tx.offerCode.deleteMany({ where: { offerId: offer.id } });
    await tx.offer.update({
      where: { id: offer.id },
      data: { ...offerData(input), codeMode: input.codeMode, sharedCode: input.codeMode === "shared" ? input.sharedCode : null, updatedAt: now },
    });
    await appendCodes(tx, offer.id, codes);
    await audit({ action: "offer.updated", subject: { type: "offer", id: offer.id }, data: { title: input.titleEn, codesAdded: codes.length } });
    return { ok: true, id: offer.id, codesAdded: codes.length };
  },
  conflict: codeConflict,
});

// ---------------------------------------------------------------------------------------------
// Issuing

/** Member ids as a form sends them (repeated fields, or one field separated by commas or spaces). */
const memberIdsField = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((raw) => [...new Set((Array.isArray(raw) ? raw : (raw ?? "").split(/[\s,]+/)).map((id) => id.trim()).filter(Boolean))])
  .pipe(z.array(z.string().max(64)).max(OFFER_LIMITS.membersMax));

const IssueRef = OfferRef.extend({
  segmentId: z
    .string()
    .max(64)
    .optional()
    .transform((v) => v || undefined),
  memberIds: memberIdsField,
});

interface IssueSubject {
  offer: { id: string; titleVi: string; titleEn: string; codeMode: OfferCodeMode; validUntil: Date };
  /** Whom the issue may reach (audience ∧ scope), or null when none was chosen. */
  audience: { where: Prisma.UserWhereInput; segmentId: string | null; memberIds: string[] } | null;
}

/**
 * The offer and its audience, cut to the issuer's scope. A segment that is gone, or any picked
 * member the issuer may not see (another manager's), makes the whole issue "not found".
 */
async function loadIssue(services: Services, ref: z.infer<typeof IssueRef>, actor: Actor): Promise<IssueSubject | null> {
  const offer = await services.db.offer.findUnique({ where: { id: ref.offerId }, select: { id: true, titleVi: true, titleEn: true, codeMode: true, validUntil: true } });
  if (!offer) return null;
  if (ref.segmentId && ref.memberIds.length) return { offer, audience: null };
  if (ref.segmentId) {
    const segment = await getSegment(services, ref.segmentId);
    if (!segment) return null;
    return { offer, audience: { where: await segmentMembersWhere(services, actor, segment.definition), segmentId: segment.id, memberIds: [] } };
  }
  if (ref.memberIds.length) {
    const where: Prisma.UserWhereInput = { AND: [await memberScopeWhere(services, actor), { id: { in: ref.memberIds } }] };
    const found = await services.db.user.count({ where });
    if (found !== ref.memberIds.length) return null;
    return { offer, audience: { where, segmentId: null, memberIds: ref.memberIds } };
  }
  return { offer, audience: null };
}

/**
 * `count` codes no grant and no pasted list holds yet. A generated code that is taken (60 random
 * bits: in practice never) is drawn again; the unique index stays the last word.
 */
export async function freshCodes(tx: Tx, count: number, random?: RandomSource): Promise<string[]> {
  const out = new Set<string>();
  for (let round = 0; out.size < count; round++) {
    if (round >= 20) throw new Error("could not draw unused offer codes");
    const batch = new Set<string>();
    while (out.size + batch.size < count) {
      const code = generateCode(random);
      if (!out.has(code)) batch.add(code);
    }
    const taken = new Set(await codesInUse(tx, [...batch]));
    for (const code of batch) if (!taken.has(code)) out.add(code);
  }
  return [...out];
}

/** Codes of the pasted list for these members, in the order pasted; null when too few are left. */
async function claimListCodes(tx: Tx, offerId: string, memberIds: string[]) {
  const free = await tx.offerCode.findMany({ where: { offerId, memberId: null }, orderBy: { position: "asc" }, take: memberIds.length, select: { position: true, code: true } });
  if (free.length < memberIds.length) return { left: free.length, codes: null };
  for (const [i, code] of free.entries()) await tx.offerCode.update({ where: { offerId_position: { offerId, position: code.position } }, data: { memberId: memberIds[i] } });
  return { left: free.length, codes: free.map((c) => c.code) };
}

/** Members a segment issue reaches per outbox event: one short transaction each, whatever the segment's size. */
export const OFFER_ISSUE_BATCH = 500;
export const OFFER_ISSUE_EVENT = "offer.issue_batch";

type Recipient = { id: string; stage: RelationshipStage };
type IssuingOffer = Pick<IssueSubject["offer"], "id" | "titleVi" | "titleEn" | "codeMode">;

/**
 * Grants for these members, each with its code (drawn, taken from the list in order, or none),
 * and each member's touchpoint and bell notice. In the caller's transaction, which holds the
 * offer's row lock. A list with too few codes left gives nothing and says how many are left.
 */
async function grantOffer(tx: Tx, offer: IssuingOffer, recipients: Recipient[], issuerId: string, now: Date) {
  const ids = recipients.map((r) => r.id);
  let codes: (string | null)[];
  if (offer.codeMode === "unique") codes = await freshCodes(tx, ids.length);
  else if (offer.codeMode === "list") {
    const claimed = await claimListCodes(tx, offer.id, ids);
    if (!claimed.codes) return { granted: 0, left: claimed.left };
    codes = claimed.codes;
  } else codes = ids.map(() => null);

  await tx.offerGrant.createMany({
    data: recipients.map((member, i) => ({ id: newSortableId(now), offerId: offer.id, memberId: member.id, code: codes[i], stageAtIssue: member.stage, issuedAt: now, issuedById: issuerId })),
  });
  const names = { offer: offer.titleVi, offerEn: offer.titleEn };
  await recordTouchpoints(tx, ids.map((memberId) => ({ memberId, kind: "offer.issued" as const, actorId: issuerId, subject: { type: "offer", id: offer.id }, data: names, at: now })));
  for (const memberId of ids) await requestNotification(tx, { userId: memberId, kind: "offer.issued", data: names, link: "/profile/offers" });
  return { granted: ids.length, left: null };
}

/** Locks the offer for one issue at a time: the list's next free codes and "already has it" stay true until the commit. */
const lockOffer = (tx: Tx, offerId: string) => tx.$queryRaw`SELECT "id" FROM "Offer" WHERE "id" = ${offerId} FOR UPDATE`;

/**
 * Members picked by name (at most 500) get the offer at once. A segment may be 100,000 members,
 * so its issue is counted and checked here and handed to the outbox, which grants it a batch at
 * a time (offerIssueHandler); the report's counts grow as it goes.
 */
export const issueOffer = defineCommand({
  name: "offer.issue",
  who: (actor) => can(actor, "offer.issue"),
  ref: IssueRef,
  load: loadIssue,
  async run(steps, input, { offer, audience }) {
    const { tx, now, actor } = steps;
    if (!audience) return fail.field("audience", input.segmentId && input.memberIds.length ? "offer.error.oneAudience" : "offer.error.chooseAudience");
    if (offer.validUntil <= now) return fail.because("closed", { key: "offer.error.expired" });
    await lockOffer(tx, offer.id);
    const fresh: Prisma.UserWhereInput = { AND: [audience.where, { offerGrants: { none: { offerId: offer.id } } }] };
    const [waiting, excluded, already] = await Promise.all([
      tx.user.count({ where: { AND: [fresh, consenting] } }),
      tx.user.count({ where: { AND: [fresh, { NOT: consenting }] } }),
      tx.user.count({ where: { AND: [audience.where, { offerGrants: { some: { offerId: offer.id } } }] } }),
    ]);
    if (!waiting) return fail.because("empty", { key: "offer.error.nobody", vars: { excluded, already } });
    const runsOut = async () => {
      const left = offer.codeMode === "list" ? await tx.offerCode.count({ where: { offerId: offer.id, memberId: null } }) : Infinity;
      return left < waiting ? fail.because("tooMany", { key: "offer.error.codesRunOut", vars: { needed: waiting, left } }) : null;
    };
    const audit = (data: Record<string, number | string | null>, targetMemberId: string | null = null) =>
      steps.audit({ action: "offer.issued", subject: { type: "offer", id: offer.id }, targetMemberId, data: { excluded, already, segmentId: audience.segmentId, members: audience.memberIds.length || null, ...data } });

    if (audience.segmentId) {
      const shortOfCodes = await runsOut();
      if (shortOfCodes) return shortOfCodes;
      await steps.enqueue(OFFER_ISSUE_EVENT, { offerId: offer.id, segmentId: audience.segmentId, issuerId: actor.id, after: "" });
      await audit({ issuing: waiting });
      return { ok: true, issued: 0, issuing: waiting, excluded, already };
    }

    const recipients = await tx.user.findMany({ where: { AND: [fresh, consenting] }, orderBy: { id: "asc" }, select: { id: true, stage: true } });
    const given = await grantOffer(tx, offer, recipients, actor.id, now);
    if (given.left !== null) return fail.because("tooMany", { key: "offer.error.codesRunOut", vars: { needed: recipients.length, left: given.left } });
    await audit({ issued: given.granted }, recipients.length === 1 ? recipients[0]!.id : null);
    return { ok: true, issued: given.granted, issuing: 0, excluded, already };
  },
  // Two issues to the same member at once: the second meets unique(offerId, memberId).
  conflict: () => fail.because("duplicate", { key: "offer.error.issuedMeanwhile" }),
});

const IssueBatch = z.object({ offerId: z.string(), segmentId: z.string(), issuerId: z.string(), after: z.string() });

/**
 * A segment's issue, a batch at a time: the next members by id of (segment ∧ the issuer's scope ∧
 * consent), without the offer yet, granted in one transaction that also enqueues the next batch.
 * Run twice (an outbox retry), a batch finds its members already hold the offer and moves on:
 * unique(offerId, memberId) and the offer's row lock keep it one grant per member. It stops when a
 * batch comes up short, the offer ended, the issuer's account is gone or the list ran out.
 */
export function offerIssueHandler(deps: Pick<Services, "db" | "clock" | "realtime">, options: { batchSize?: number } = {}): OutboxHandler {
  const batchSize = options.batchSize ?? OFFER_ISSUE_BATCH;
  return {
    name: "offers.issue_batch",
    handles: (type) => type === OFFER_ISSUE_EVENT,
    async deliver(event) {
      const parsed = IssueBatch.safeParse(event.payload);
      if (!parsed.success) return;
      const { offerId, segmentId, issuerId, after } = parsed.data;
      const issuer = await deps.db.user.findUnique({ where: { id: issuerId }, select: { id: true, role: true, deletedAt: true } });
      const segment = await getSegment(deps, segmentId);
      // The scope is the issuer's: without them, nobody.
      if (!issuer || issuer.deletedAt || !segment) return;
      // The segment's own SQL (an OR of relation conditions stays a union of ids, ADR 018).
      const members = await segmentMembersSql(deps, { id: issuer.id, role: issuer.role }, segment.definition);
      const now = deps.clock.now();
      await deps.db.$transaction(
        async (tx) => {
          await lockOffer(tx, offerId);
          const offer = await tx.offer.findUnique({ where: { id: offerId }, select: { id: true, titleVi: true, titleEn: true, codeMode: true, validUntil: true } });
          if (!offer || offer.validUntil <= now) return;
          const recipients = await tx.$queryRaw<Recipient[]>`
            SELECT u."id", u."stage"::text AS "stage" FROM "User" u
            WHERE ${members}
              AND EXISTS (SELECT 1 FROM "MemberConsent" c WHERE c."memberId" = u."id" AND c."channel" = ${OFFER_CONSENT} AND c."granted" = TRUE)
              AND NOT EXISTS (SELECT 1 FROM "OfferGrant" g WHERE g."memberId" = u."id" AND g."offerId" = ${offerId})
              ${after ? Prisma.sql`AND u."id" > ${after}` : Prisma.empty}
            ORDER BY u."id" LIMIT ${batchSize}`;
          if (!recipients.length) return;
          let given = await grantOffer(tx, offer, recipients, issuerId, now);
          // Another issue took list codes meanwhile: those that are left go to the first members, and the issue stops there.
          if (given.left) given = await grantOffer(tx, offer, recipients.slice(0, given.left), issuerId, now);
          if (given.left === null && recipients.length === batchSize) await enqueueOutboxEvent(tx, OFFER_ISSUE_EVENT, { offerId, segmentId, issuerId, after: recipients.at(-1)!.id });
        },
        { timeout: 60_000 },
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Seeing and redeeming

const GrantRef = z.object({ grantId: z.string().min(1).max(64) });

/** The member opens their code: from then on it is shown, and the report counts it seen. */
export const revealOffer = defineCommand({
  name: "offer.reveal",
  who: (actor) => can(actor, "offer.reveal"),
  ref: GrantRef,
  load: (services, { grantId }, actor) => services.db.offerGrant.findFirst({ where: { id: grantId, memberId: actor.id }, select: { id: true, seenAt: true } }),
  async run({ tx, now }, { grantId }, grant) {
    if (!grant.seenAt) await tx.offerGrant.updateMany({ where: { id: grantId, seenAt: null }, data: { seenAt: now } });
    return { ok: true };
  },
});

const GRANT_FOR_REDEEM = {
  id: true,
  memberId: true,
  redeemedAt: true,
  offer: { select: { id: true, titleVi: true, titleEn: true, validFrom: true, validUntil: true } },
  member: { select: { id: true, role: true, deletedAt: true, accountManagerId: true } },
} satisfies Prisma.OfferGrantSelect;
type GrantForRedeem = Prisma.OfferGrantGetPayload<{ select: typeof GRANT_FOR_REDEEM }>;

/**
 * The redemption itself, for staff and the shop alike: once, inside the window. The update is
 * conditional, so of two at once (PostgreSQL's row lock makes the second re-read) one wins and the
 * other is told the code was used.
 */
async function redeem(steps: Steps<Actor | null>, grant: GrantForRedeem, source: string) {
  const { tx, now, actor } = steps;
  if (grant.redeemedAt) return fail.because("used", { key: "offer.error.used" });
  if (now < grant.offer.validFrom || now > grant.offer.validUntil) return fail.because("closed", { key: "offer.error.notValidNow" });
  const won = await tx.offerGrant.updateMany({ where: { id: grant.id, redeemedAt: null }, data: { redeemedAt: now, redeemedById: actor?.id ?? null, redeemedSource: source } });
  if (!won.count) return fail.because("used", { key: "offer.error.used" });
  const names = { offer: grant.offer.titleVi, offerEn: grant.offer.titleEn };
  await steps.touchpoint({ memberId: grant.memberId, kind: "offer.redeemed", actorId: actor?.id ?? null, subject: { type: "offer", id: grant.offer.id }, data: { ...names, source } });
  await steps.audit({ action: "offer.redeemed", targetMemberId: grant.memberId, subject: { type: "offer", id: grant.offer.id }, data: { grantId: grant.id, source } });
  await requestNotification(tx, { userId: grant.memberId, kind: "offer.redeemed", data: names, link: "/profile/offers" });
  return { ok: true as const, grantId: grant.id, offerId: grant.offer.id, memberId: grant.memberId, redeemedAt: now.toISOString() };
}

/** Staff mark a member's offer used (at the counter, on the phone): only for a member in their scope. */
export const markOfferRedeemed = defineCommand({
  name: "offer.redeem",
  who: (actor) => can(actor, "offer.redeem"),
  ref: GrantRef,
  async load(services, { grantId }, actor) {
    const grant = await services.db.offerGrant.findUnique({ where: { id: grantId }, select: GRANT_FOR_REDEEM });
    return grant && (await staffRelation(services, actor, grant.member)) ? grant : null;
  },
  run: (steps, _input, grant) => redeem(steps, grant, "staff"),
});

/**
 * A shop's request that the adapter proved (API key, signature, fresh timestamp:
 * ./shop-api.server.ts). Only `verifyShopRequest` makes one, so nothing else can redeem as a shop.
 */
export interface ShopCredential {
  readonly shop: string;
}
const issuedCredentials = new WeakSet<ShopCredential>();
export function shopCredential(shop: string): ShopCredential {
  const credential = Object.freeze({ shop });
  issuedCredentials.add(credential);
  return credential;
}

export const redeemFromShop = defineCommand({
  name: "offer.redeem_from_shop",
  // No signed-in person: the shop's verified credential is the authorization.
  anonymous: true,
  who: (actor) => actor === null,
  // Without a verified credential the code is "not found", as an unknown code is: nothing to probe.
  ref: z.object({
    code: z.string().min(1).max(200).transform(normalizeCode),
    credential: z.custom<ShopCredential>((value) => typeof value === "object" && value !== null && issuedCredentials.has(value as ShopCredential)),
  }),
  load: (services, { code }) => services.db.offerGrant.findUnique({ where: { code }, select: GRANT_FOR_REDEEM }),
  run: (steps, { credential }, grant) => redeem(steps, grant, `shop:${credential.shop}`),
});

// ---------------------------------------------------------------------------------------------
// Reading

/** Where a grant's member is someone this viewer may see. */
async function grantScope(services: ScopeServices, actor: Actor): Promise<Prisma.OfferGrantWhereInput> {
  return { member: await memberScopeWhere(services, actor) };
}

const OFFER_SELECT = {
  id: true,
  titleVi: true,
  titleEn: true,
  descriptionVi: true,
  descriptionEn: true,
  kind: true,
  codeMode: true,
  sharedCode: true,
  validFrom: true,
  validUntil: true,
  createdById: true,
  createdAt: true,
  createdBy: { select: { displayName: true } },
} satisfies Prisma.OfferSelect;

export interface OfferCounts {
  issued: number;
  seen: number;
  redeemed: number;
}
const zero = (): OfferCounts => ({ issued: 0, seen: 0, redeemed: 0 });

/** Every offer, newest first, with issued/seen/redeemed among the members this viewer sees. */
export async function listOffers(services: ScopeServices, actor: Actor) {
  const [offers, counts] = await Promise.all([
    services.db.offer.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: OFFER_SELECT }),
    services.db.offerGrant.groupBy({ by: ["offerId"], where: await grantScope(services, actor), _count: { _all: true, seenAt: true, redeemedAt: true } }),
  ]);
  const byOffer = new Map(counts.map((c) => [c.offerId, { issued: c._count._all, seen: c._count.seenAt, redeemed: c._count.redeemedAt }]));
  return offers.map((offer) => ({ ...offer, counts: byOffer.get(offer.id) ?? zero() }));
}

/** For the outreach hub: offers valid today, and codes used by the members this viewer sees. */
export async function offerSummary(services: ScopeServices & Pick<Services, "clock">, actor: Actor) {
  const now = services.clock.now();
  const [active, redeemed] = await Promise.all([
    services.db.offer.count({ where: { validFrom: { lte: now }, validUntil: { gte: now } } }),
    services.db.offerGrant.count({ where: { AND: [await grantScope(services, actor), { redeemedAt: { not: null } }] } }),
  ]);
  return { active, redeemed };
}

/** One offer for its page: the offer, its report by stage at issue, its list's stock and the latest grants (all within the viewer's scope). */
export async function getOfferReport(services: ScopeServices, actor: Actor, offerId: string) {
  const offer = await services.db.offer.findUnique({ where: { id: offerId }, select: OFFER_SELECT });
  if (!offer) return null;
  const scope = await grantScope(services, actor);
  const where = { AND: [scope, { offerId }] };
  const [byStage, listTotal, listFree, grants, issuedToAnyone] = await Promise.all([
    services.db.offerGrant.groupBy({ by: ["stageAtIssue"], where, _count: { _all: true, seenAt: true, redeemedAt: true } }),
    services.db.offerCode.count({ where: { offerId } }),
    services.db.offerCode.count({ where: { offerId, memberId: null } }),
    services.db.offerGrant.findMany({
      where,
      orderBy: [{ issuedAt: "desc" }, { id: "desc" }],
      take: 100,
      select: { id: true, code: true, issuedAt: true, seenAt: true, redeemedAt: true, redeemedSource: true, member: { select: { id: true, displayName: true } } },
    }),
    // Whoever holds it: its code mode is then fixed, even when none of them is this viewer's.
    services.db.offerGrant.findFirst({ where: { offerId }, select: { id: true } }).then(Boolean),
  ]);
  const stages = byStage
    .map((s) => ({ stage: s.stageAtIssue, issued: s._count._all, seen: s._count.seenAt, redeemed: s._count.redeemedAt }))
    .sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
  const total = stages.reduce((sum, s) => ({ issued: sum.issued + s.issued, seen: sum.seen + s.seen, redeemed: sum.redeemed + s.redeemed }), zero());
  return {
    offer,
    canChange: can(actor, "offer.change", { authorId: offer.createdById ?? "" }),
    total,
    stages,
    list: offer.codeMode === "list" ? { total: listTotal, free: listFree } : null,
    issuedToAnyone,
    grants,
  };
}

export type OfferState = "upcoming" | "usable" | "expired" | "redeemed";

export function offerState(now: Date, grant: { redeemedAt: Date | null; offer: { validFrom: Date; validUntil: Date } }): OfferState {
  if (grant.redeemedAt) return "redeemed";
  if (now > grant.offer.validUntil) return "expired";
  return now < grant.offer.validFrom ? "upcoming" : "usable";
}

/**
 * A member's offers, as they see them ("Offers for you"): usable first, then those still to
 * come, then used and expired ones. A code is only in the answer once the member opened it (and
 * never for an expired offer, which is shown but not as usable).
 */
export async function memberOffers(services: Pick<Services, "db" | "clock">, memberId: string, options: { usableOnly?: boolean } = {}) {
  const now = services.clock.now();
  const rows = await services.db.offerGrant.findMany({
    where: { memberId, ...(options.usableOnly ? { redeemedAt: null, offer: { validUntil: { gte: now } } } : {}) },
    orderBy: [{ issuedAt: "desc" }, { id: "desc" }],
    take: 50,
    select: {
      id: true,
      code: true,
      seenAt: true,
      redeemedAt: true,
      issuedAt: true,
      offer: { select: { id: true, titleVi: true, titleEn: true, descriptionVi: true, descriptionEn: true, kind: true, sharedCode: true, validFrom: true, validUntil: true } },
    },
  });
  const order: Record<OfferState, number> = { usable: 0, upcoming: 1, redeemed: 2, expired: 3 };
  return rows
    .map(({ code, offer: { sharedCode, ...offer }, ...grant }) => {
      const state = offerState(now, { ...grant, offer });
      const revealed = grant.seenAt !== null && state !== "expired";
      return { ...grant, offer, state, revealed, code: revealed ? (code ?? sharedCode) : null };
    })
    .sort((a, b) => order[a.state] - order[b.state]);
}

/** A member's offers on their record, for staff who may open it (the page checked the scope). */
export async function offersOnRecord(services: Pick<Services, "db" | "clock">, memberId: string) {
  const now = services.clock.now();
  const rows = await services.db.offerGrant.findMany({
    where: { memberId },
    orderBy: [{ issuedAt: "desc" }, { id: "desc" }],
    take: 50,
    select: { id: true, code: true, issuedAt: true, seenAt: true, redeemedAt: true, redeemedSource: true, offer: { select: { id: true, titleVi: true, titleEn: true, sharedCode: true, validFrom: true, validUntil: true } } },
  });
  return rows.map(({ code, offer: { sharedCode, ...offer }, ...grant }) => ({ ...grant, offer, code: code ?? sharedCode, state: offerState(now, { ...grant, offer }) }));
}

/** Members this staff member may pick for an offer: in their scope and consenting, by name. */
export async function offerCandidates(services: ScopeServices, actor: Actor, take = 300) {
  return services.db.user.findMany({
    where: { AND: [await memberScopeWhere(services, actor), consenting] },
    orderBy: [{ displayName: "asc" }, { id: "asc" }],
    take,
    select: { id: true, displayName: true, stage: true },
  });
}
