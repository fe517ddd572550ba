/** The demo's offers: three, some used, and a member who sees a usable one and an expired one. */
import { describe, expect, it } from "vitest";
import { seedDemoData } from "../../../prisma/seed.ts";
import { listOffers, memberOffers } from "../../../app/modules/offers/offers.server.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile();

describe("the demo's offers", () => {
  it("has three offers with grants, some redeemed, only to consenting members, and shows member1 theirs", async () => {
    const db = services.db;
    expect(await seedDemoData(db, services.clock.now())).toEqual({ created: true });
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@rapport.local" }, select: { id: true, role: true } });
    const offers = await listOffers(services, admin);
    expect(offers).toHaveLength(3);
    for (const offer of offers) expect(offer.counts.issued).toBeGreaterThan(0);
    expect(offers.reduce((sum, o) => sum + o.counts.redeemed, 0)).toBeGreaterThan(2);
    // Nobody without consent holds one.
    expect(await db.offerGrant.count({ where: { member: { consentState: { none: { channel: "offers", granted: true } } } } })).toBe(0);
    // Codes are unique where they are the member's own.
    const codes = (await db.offerGrant.findMany({ where: { code: { not: null } }, select: { code: true } })).map((g) => g.code);
    expect(new Set(codes).size).toBe(codes.length);

    const member1 = await db.user.findUniqueOrThrow({ where: { email: "member1@rapport.local" }, select: { id: true } });
    const mine = await memberOffers(services, member1.id);
    expect(mine.map((o) => o.state)).toEqual(expect.arrayContaining(["usable", "expired"]));
    expect(await db.touchpoint.count({ where: { kind: "offer.redeemed" } })).toBeGreaterThan(2);
    // The whole demo is seeded first: its time is the seed's, not the offers'.
  }, 90_000);
});
