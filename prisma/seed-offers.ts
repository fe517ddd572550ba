/**
 * The demo's offers (issue 18): three, so `npm run demo` shows the staff list, a report by stage
 * and a member's "Offers for you" with a usable, a used and an expired one. Two of three members
 * said yes to offers; only they get any, as the commands would decide.
 */
import type { Db } from "../app/modules/services.server.ts";
import { newSortableId } from "../app/modules/ids.server.ts";
import { generateCode } from "../app/modules/offers/codes.ts";
import { addConsent } from "../tests/factories/relationship.ts";
import { insertGrant, insertOffer } from "../tests/factories/offers.ts";
import type { OfferCodeMode, OfferKind } from "../app/generated/prisma/client.ts";

const DAY = 86_400_000;

export async function seedOffers(db: Db, now: Date) {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@rapport.local" }, select: { id: true } });
  const staff1 = await db.user.findUniqueOrThrow({ where: { email: "staff1@rapport.local" }, select: { id: true } });
  const members = await db.user.findMany({
    where: { email: { startsWith: "member" }, role: { in: ["member", "moderator"] } },
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, stage: true, accountManagerId: true },
  });
  const consenting = [];
  for (const [i, member] of members.entries()) {
    // Khoa (member14) is Loyal and owns the Phin filter, but said no to offers (prisma/seed-co-creation.ts).
    const granted = i % 3 !== 2 && member.email !== "member14@rapport.local";
    await addConsent(db, { memberId: member.id, channel: "offers", granted, source: "profile", at: ago(60 - i) });
    if (granted) consenting.push(member);
  }

  const close = consenting.filter((m) => ["loyal", "strengthen", "maintain"].includes(m.stage) || m.email === "member1@rapport.local");
  const listCodes = Array.from({ length: 12 }, (_, i) => `PHIN-EARLY-${String(101 + i)}`);
  // Each offer: its text and terms, who gave it to whom, and what each recipient did with it.
  const offers: DemoOffer<(typeof members)[number]>[] = [
    {
      text: {
        titleVi: "Giảm 15% cho khách hàng thân thiết",
        titleEn: "15% off for our loyal customers",
        descriptionVi: "Cảm ơn bạn đã gắn bó. Giảm 15% cho đơn hàng tiếp theo tại cửa hàng hoặc trên website.",
        descriptionEn: "Thank you for staying with us. 15% off your next order in the shop or online.",
      },
      terms: { kind: "discount_code", codeMode: "unique", createdDaysAgo: 12, validUntil: new Date(now.getTime() + 30 * DAY) },
      by: admin.id,
      recipients: close,
      grant: (member, i) => ({
        code: generateCode(),
        issuedAt: ago(11),
        seenAt: i % 2 === 0 ? ago(10 - (i % 5)) : null,
        redeemed: i % 4 === 0 && member.email !== "member1@rapport.local" ? { at: ago(8 - (i % 6)), byId: null, source: "shop:demo-shop" } : null,
      }),
    },
    {
      text: {
        titleVi: "Vệ sinh máy pha cà phê miễn phí",
        titleEn: "Free coffee machine service",
        descriptionVi: "Mang máy pha của bạn đến cửa hàng: chúng tôi vệ sinh và hiệu chỉnh miễn phí.",
        descriptionEn: "Bring your machine to the shop: we clean and calibrate it for free.",
      },
      terms: { kind: "free_service", codeMode: "shared", sharedCode: "SERVICE2026", createdDaysAgo: 6, validUntil: new Date(now.getTime() + 60 * DAY) },
      by: staff1.id,
      recipients: consenting.filter((m) => m.accountManagerId === staff1.id),
      grant: (_member, i) => ({ code: null, issuedAt: ago(5), seenAt: i < 4 ? ago(4) : null, redeemed: i === 1 || i === 3 ? { at: ago(2), byId: staff1.id, source: "staff" } : null }),
    },
    // Ended last week: shown to its members as expired, never as usable.
    {
      text: {
        titleVi: "Dùng thử sớm phin mới",
        titleEn: "Early access to the new Phin",
        descriptionVi: "Đặt trước phin thế hệ mới trước khi mở bán.",
        descriptionEn: "Pre-order the new Phin before it goes on sale.",
      },
      terms: { kind: "early_access", codeMode: "list", listCodes, createdDaysAgo: 40, validUntil: ago(7) },
      by: admin.id,
      recipients: consenting.slice(0, 6),
      grant: (_member, i) => ({ code: listCodes[i]!, issuedAt: ago(39), seenAt: ago(38 - i), redeemed: i % 2 === 1 ? { at: ago(30 - i), byId: null, source: "shop:demo-shop" } : null }),
    },
  ];
  for (const { text, terms, by, recipients, grant } of offers) {
    const { createdDaysAgo, ...rest } = terms;
    const offer = { id: newSortableId(ago(createdDaysAgo)), ...text };
    await insertOffer(db, { ...offer, ...rest, validFrom: ago(createdDaysAgo), createdById: by, createdAt: ago(createdDaysAgo) });
    for (const [i, member] of recipients.entries()) await insertGrant(db, { offer, member, issuedById: by, ...grant(member, i) });
  }
}

type DemoOffer<M> = {
  text: { titleVi: string; titleEn: string; descriptionVi: string; descriptionEn: string };
  terms: { kind: OfferKind; codeMode: OfferCodeMode; sharedCode?: string; listCodes?: string[]; createdDaysAgo: number; validUntil: Date };
  by: string;
  recipients: M[];
  grant: (member: M, i: number) => Omit<Parameters<typeof insertGrant>[1], "offer" | "member" | "issuedById">;
};
