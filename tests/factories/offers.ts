/**
 * Offers as the demo and tests need them: the form's fields for createOffer, and a day string
 * relative to now.
 */
import { calendarDay, addDays } from "../../app/modules/calendar.ts";
import { newSortableId } from "../../app/modules/ids.server.ts";
import type { Db } from "../../app/modules/services.server.ts";
import type { OfferCodeMode, OfferKind, RelationshipStage } from "../../app/generated/prisma/client.ts";
import { addTouchpoint } from "./relationship.ts";

const ZONE = "Asia/Ho_Chi_Minh";

/** The calendar day `days` from now in Hanoi ("2026-12-07"). */
export function dayFromNow(days: number, now = new Date()) {
  return addDays(calendarDay(now, ZONE), days);
}

export type OfferFields = Record<string, string>;

/** A valid offer form: a discount valid from yesterday for a month, one shared code, unless overridden. */
export function offerFields(input: Partial<OfferFields> = {}, now = new Date()): OfferFields {
  return {
    titleVi: "Giảm 15% cho khách hàng thân thiết",
    titleEn: "15% off for loyal customers",
    descriptionVi: "Áp dụng cho mọi sản phẩm cà phê trong tháng này.",
    descriptionEn: "On every coffee product this month.",
    kind: "discount_code",
    validFrom: dayFromNow(-1, now),
    validUntil: dayFromNow(30, now),
    timeZone: ZONE,
    codeMode: "shared",
    sharedCode: "LOYAL15",
    codes: "",
    ...input,
  };
}

/**
 * Written straight to the database, as the demo seed writes (no services there): an offer, and
 * grants to members with the touchpoints an issue and a redemption leave.
 */
export async function insertOffer(
  db: Db,
  input: { id: string; titleVi: string; titleEn: string; descriptionVi: string; descriptionEn: string; kind: OfferKind; codeMode: OfferCodeMode; sharedCode?: string | null; validFrom: Date; validUntil: Date; createdById: string | null; createdAt: Date; listCodes?: string[] },
) {
  const { listCodes = [], ...offer } = input;
  await db.offer.create({ data: { ...offer, sharedCode: offer.sharedCode ?? null, updatedAt: offer.createdAt } });
  if (listCodes.length) await db.offerCode.createMany({ data: listCodes.map((code, position) => ({ offerId: offer.id, code, position })) });
  return offer.id;
}

export async function insertGrant(
  db: Db,
  input: {
    offer: { id: string; titleVi: string; titleEn: string };
    member: { id: string; stage: RelationshipStage };
    code: string | null;
    issuedById: string | null;
    issuedAt: Date;
    seenAt?: Date | null;
    redeemed?: { at: Date; byId: string | null; source: string } | null;
  },
) {
  const names = { offer: input.offer.titleVi, offerEn: input.offer.titleEn };
  const subject = { type: "offer", id: input.offer.id };
  await db.offerGrant.create({
    data: {
      id: newSortableId(input.issuedAt),
      offerId: input.offer.id,
      memberId: input.member.id,
      code: input.code,
      stageAtIssue: input.member.stage,
      issuedAt: input.issuedAt,
      issuedById: input.issuedById,
      seenAt: input.seenAt ?? null,
      redeemedAt: input.redeemed?.at ?? null,
      redeemedById: input.redeemed?.byId ?? null,
      redeemedSource: input.redeemed?.source ?? null,
    },
  });
  if (input.code) await db.offerCode.updateMany({ where: { offerId: input.offer.id, code: input.code }, data: { memberId: input.member.id } });
  await addTouchpoint(db, { memberId: input.member.id, kind: "offer.issued", actorId: input.issuedById, subject, data: names, at: input.issuedAt });
  if (input.redeemed) await addTouchpoint(db, { memberId: input.member.id, kind: "offer.redeemed", actorId: input.redeemed.byId, subject, data: { ...names, source: input.redeemed.source }, at: input.redeemed.at });
}
