/**
 * Offers as the demo and tests need them: the form's fields for createOffer, and a day string
 * relative to now.
 */
import { calendarDay, addDays } from "../../app/modules/calendar.ts";

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
