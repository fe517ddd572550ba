/**
 * Offers: consent and scope decide who gets one, codes never collide, a pasted list is checked
 * and runs out with a clear refusal, a redemption happens once (also when two race on PostgreSQL),
 * and each issue and redemption leaves a touchpoint, an audit row and a bell notice.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { servicesForThisFile, usingPostgres } from "../../support/services.ts";
import { createAdmin, createMember, createStaff, type Person } from "../../factories/actors.ts";
import { addConsent } from "../../factories/relationship.ts";
import { offerFields } from "../../factories/offers.ts";
import { createSegment } from "../../../app/modules/segments/segments.server.ts";
import {
  createOffer,
  freshCodes,
  getOfferReport,
  issueOffer,
  listOffers,
  OFFER_ISSUE_EVENT,
  offerIssueHandler,
  markOfferRedeemed,
  memberOffers,
  revealOffer,
  updateOffer,
} from "../../../app/modules/offers/offers.server.ts";
import { CODE_ALPHABET, parseCodeList } from "../../../app/modules/offers/codes.ts";
import { exportMemberData } from "../../../app/modules/members/my-data.server.ts";
import type { SegmentDefinition } from "../../../app/modules/segments/definition.ts";
import { createOutboxDispatcher } from "../../../app/modules/outbox/outbox.server.ts";

const services = servicesForThisFile();
const loyal: SegmentDefinition = { match: "and", groups: [{ match: "and", conditions: [{ field: "stage", op: "in", values: ["loyal"] }] }] };

let admin: Person, mai: Person, nam: Person;
let an: Person, binh: Person, chau: Person, dung: Person;
let loyalSegment: string;

async function consent(member: Person, granted = true) {
  await addConsent(services.db, { memberId: member.id, channel: "offers", granted, source: "profile", at: new Date() });
}

async function newOffer(actor: Person, fields: Record<string, string> = {}) {
  const made = await createOffer(services, actor.actor, offerFields(fields));
  if (!made.ok) throw new Error(`offer not created: ${JSON.stringify(made)}`);
  return made.id;
}

beforeAll(async () => {
  const db = services.db;
  admin = await createAdmin(db);
  mai = await createStaff(db, { displayName: "Mai" });
  nam = await createStaff(db, { displayName: "Nam" });
  an = await createMember(db, { displayName: "An", accountManagerId: mai.id, locale: "en" });
  binh = await createMember(db, { displayName: "Bình", accountManagerId: mai.id, locale: "vi" });
  chau = await createMember(db, { displayName: "Châu", accountManagerId: mai.id, locale: "vi" });
  dung = await createMember(db, { displayName: "Dũng", accountManagerId: nam.id, locale: "vi" });
  await db.user.updateMany({ where: { id: { in: [an.id, binh.id, chau.id, dung.id] } }, data: { stage: "loyal" } });
  await consent(an);
  await consent(chau, false); // said no
  await consent(dung);
  // Bình never answered: no consent either.
  const segment = await createSegment(services, admin.actor, { name: "Loyal", definition: JSON.stringify(loyal) });
  if (!segment.ok) throw new Error("segment");
  loyalSegment = segment.id;
});

describe("issuing to a segment", () => {
  it("reaches only consenting members in the issuer's scope and counts the others as excluded", async () => {
    const offerId = await newOffer(mai);
    const issued = await issueOffer(services, mai.actor, { offerId, segmentId: loyalSegment });
    // Mai's loyal members are An, Bình and Châu; only An said yes; Dũng is Nam's. A segment is given through the outbox.
    expect(issued).toMatchObject({ ok: true, issued: 0, issuing: 1, excluded: 2, already: 0 });
    await services.dispatcher.drainNow();
    const grants = await services.db.offerGrant.findMany({ where: { offerId }, select: { memberId: true, code: true, stageAtIssue: true } });
    expect(grants).toEqual([{ memberId: an.id, code: null, stageAtIssue: "loyal" }]);

    // Again: An has it, nobody new consents, so it is a clear refusal that says why.
    const again = await issueOffer(services, mai.actor, { offerId, segmentId: loyalSegment });
    expect(again).toMatchObject({ ok: false, error: "empty", message: { key: "offer.error.nobody", vars: { excluded: 2, already: 1 } } });

    // The admin reaches everyone who consented: Dũng as well.
    expect(await issueOffer(services, admin.actor, { offerId, segmentId: loyalSegment })).toMatchObject({ ok: true, issuing: 1, excluded: 2, already: 1 });
    await services.dispatcher.drainNow();
    expect((await services.db.offerGrant.findMany({ where: { offerId }, select: { memberId: true } })).map((g) => g.memberId).sort()).toEqual([an.id, dung.id].sort());
  });

  it("gives a segment larger than a batch its offer a batch at a time: each member one grant, every code different", async () => {
    const db = services.db;
    const crowd: string[] = [];
    for (let i = 0; i < 23; i++) crowd.push((await createMember(db, { displayName: `Crowd ${i}`, accountManagerId: nam.id })).id);
    await db.user.updateMany({ where: { id: { in: crowd } }, data: { stage: "loyal" } });
    await db.memberConsent.createMany({ data: crowd.map((memberId) => ({ memberId, channel: "offers", granted: true, updatedAt: new Date() })) });
    const unique = await newOffer(nam, { codeMode: "unique", sharedCode: "" });
    const listed = await newOffer(nam, { codeMode: "list", sharedCode: "", codes: Array.from({ length: 30 }, (_, i) => `BATCH-${i}`).join("\n") });
    // Nam's loyal consenting members: the crowd and Dũng, 24 in all, in batches of 5.
    const batches = createOutboxDispatcher({ db, clock: services.clock, logger: pino({ level: "silent" }), handlers: [offerIssueHandler(services, { batchSize: 5 })] });
    for (const offerId of [unique, listed]) {
      await services.dispatcher.drainNow(); // what earlier tests left, so the next round is this issue's
      expect(await issueOffer(services, nam.actor, { offerId, segmentId: loyalSegment })).toMatchObject({ ok: true, issuing: 24, excluded: 0, already: 0 });
      // The first batch: five have it, the report counts them, the rest wait for the next event.
      await batches.runOnce();
      expect((await getOfferReport(services, nam.actor, offerId))!.total.issued).toBe(5);
      await batches.drainNow();
      const grants = await db.offerGrant.findMany({ where: { offerId }, select: { memberId: true, code: true } });
      expect(grants.map((g) => g.memberId).sort()).toEqual([...crowd, dung.id].sort());
      expect(new Set(grants.map((g) => g.code)).size).toBe(24);
      expect(await db.touchpoint.count({ where: { kind: "offer.issued", subjectId: offerId } })).toBe(24);
    }
    // The list was handed out in order, each code once; the six left stay free.
    const listCodes = (await db.offerGrant.findMany({ where: { offerId: listed }, select: { code: true } })).map((g) => g.code!).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
    expect(listCodes).toEqual(Array.from({ length: 24 }, (_, i) => `BATCH-${i}`));
    expect((await getOfferReport(services, nam.actor, listed))!.list).toEqual({ total: 30, free: 6 });
    // Run again (an outbox retry, a second click): nobody gets a second grant.
    expect(await issueOffer(services, nam.actor, { offerId: unique, segmentId: loyalSegment })).toMatchObject({ ok: false, error: "empty" });
    await batches.drainNow();
    expect(await db.offerGrant.count({ where: { offerId: unique } })).toBe(24);
  });

  it("refuses a segment issue up front when the pasted list is too short for it", async () => {
    const offerId = await newOffer(nam, { codeMode: "list", sharedCode: "", codes: "ONLY-ONE" });
    const made = await issueOffer(services, nam.actor, { offerId, segmentId: loyalSegment });
    expect(made).toMatchObject({ ok: false, error: "tooMany", message: { key: "offer.error.codesRunOut", vars: { left: 1 } } });
    expect(await services.db.outboxEvent.count({ where: { type: OFFER_ISSUE_EVENT, payload: { path: ["offerId"], equals: offerId } } })).toBe(0);
  });

  it("leaves a touchpoint, a bell notice request and an audit row for each issue", async () => {
    const offerId = await newOffer(mai, { titleEn: "Free grinder cleaning", titleVi: "Vệ sinh máy xay miễn phí", kind: "free_service" });
    expect(await issueOffer(services, mai.actor, { offerId, memberIds: an.id })).toMatchObject({ ok: true, issued: 1 });
    const touchpoint = await services.db.touchpoint.findFirst({ where: { memberId: an.id, kind: "offer.issued", subjectId: offerId } });
    expect(touchpoint).toMatchObject({ actorId: mai.id, data: { offer: "Vệ sinh máy xay miễn phí", offerEn: "Free grinder cleaning" } });
    const notices = await services.db.outboxEvent.findMany({ where: { type: "notification.requested" }, select: { payload: true } });
    expect(notices.map((n) => n.payload)).toContainEqual(expect.objectContaining({ userId: an.id, kind: "offer.issued", link: "/profile/offers" }));
    const audit = await services.db.auditLog.findFirst({ where: { action: "offer.issued", subjectId: offerId } });
    expect(audit).toMatchObject({ actorId: mai.id, targetMemberId: an.id });
  });

  it("refuses an issue without an audience, with both, and after the offer ended", async () => {
    const offerId = await newOffer(mai);
    expect(await issueOffer(services, mai.actor, { offerId })).toMatchObject({ ok: false, error: "invalid", fieldErrors: { audience: ["offer.error.chooseAudience"] } });
    expect(await issueOffer(services, mai.actor, { offerId, segmentId: loyalSegment, memberIds: an.id })).toMatchObject({ ok: false, fieldErrors: { audience: ["offer.error.oneAudience"] } });
    await services.db.offer.update({ where: { id: offerId }, data: { validUntil: new Date(Date.now() - 1000) } });
    expect(await issueOffer(services, mai.actor, { offerId, memberIds: an.id })).toMatchObject({ ok: false, error: "closed" });
  });
});

describe("issuing to members picked by their manager", () => {
  it("does not find another manager's member, and issues nothing then", async () => {
    const offerId = await newOffer(mai, { kind: "gift" });
    expect(await issueOffer(services, mai.actor, { offerId, memberIds: [an.id, dung.id] })).toEqual({ ok: false, error: "notFound" });
    expect(await services.db.offerGrant.count({ where: { offerId } })).toBe(0);
    // A member who is not in anyone's scope, an unknown id, a member asking: not found / not allowed.
    expect(await issueOffer(services, mai.actor, { offerId, memberIds: "nobody-at-all" })).toEqual({ ok: false, error: "notFound" });
    expect(await issueOffer(services, an.actor, { offerId, memberIds: an.id })).toEqual({ ok: false, error: "notAllowed" });
  });

  it("asks consent for a personal gift too: a member who did not say yes is excluded", async () => {
    const offerId = await newOffer(mai, { kind: "gift", titleEn: "A thank-you gift", titleVi: "Quà cảm ơn" });
    expect(await issueOffer(services, mai.actor, { offerId, memberIds: `${an.id}, ${binh.id}` })).toMatchObject({ ok: true, issued: 1, excluded: 1 });
    expect(await issueOffer(services, mai.actor, { offerId, memberIds: binh.id })).toMatchObject({ ok: false, error: "empty" });
  });
});

describe("codes", () => {
  it("gives each of a few hundred members their own unguessable code, none the same", async () => {
    const db = services.db;
    const many: string[] = [];
    for (let i = 0; i < 300; i++) many.push((await createMember(db, { displayName: `Member ${i}`, accountManagerId: nam.id })).id);
    await db.memberConsent.createMany({ data: many.map((memberId) => ({ memberId, channel: "offers", granted: true, updatedAt: new Date() })) });
    const first = await newOffer(nam, { codeMode: "unique", sharedCode: "" });
    const second = await newOffer(nam, { codeMode: "unique", sharedCode: "" });
    expect(await issueOffer(services, nam.actor, { offerId: first, memberIds: many.slice(0, 300) })).toMatchObject({ ok: true, issued: 300 });
    expect(await issueOffer(services, nam.actor, { offerId: second, memberIds: many.slice(0, 200) })).toMatchObject({ ok: true, issued: 200 });
    const codes = (await db.offerGrant.findMany({ where: { offerId: { in: [first, second] } }, select: { code: true } })).map((g) => g.code!);
    expect(codes).toHaveLength(500);
    expect(new Set(codes).size).toBe(500);
    const shape = new RegExp(`^[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}$`);
    for (const code of codes) expect(code).toMatch(shape);
  });

  it("draws again when a generated code is taken", async () => {
    const taken = (await services.db.offerGrant.findFirst({ where: { code: { not: null } }, select: { code: true } }))!.code!;
    // A "random" source that first repeats the taken code, then gives fresh bytes.
    const takenBytes = taken.replaceAll("-", "").split("").map((c) => CODE_ALPHABET.indexOf(c));
    let calls = 0;
    const random = (size: number) => (calls++ < 2 ? Uint8Array.from(takenBytes) : Uint8Array.from({ length: size }, (_, i) => (i * 7 + calls) & 31));
    const drawn = await services.db.$transaction((tx) => freshCodes(tx, 2, random));
    expect(drawn).toHaveLength(2);
    expect(drawn).not.toContain(taken);
    expect(new Set(drawn).size).toBe(2);
  });

  it("reads a pasted list: duplicates, unusable lines and codes another offer holds are field errors", async () => {
    expect(parseCodeList("A1\n\n  B2  \r\nA1\nC 3\n")).toEqual({ codes: ["A1", "B2"], duplicates: ["A1"], invalid: ["C 3"] });
    const list = (codes: string) => createOffer(services, mai.actor, offerFields({ codeMode: "list", sharedCode: "", codes }));
    expect(await list("SHOP-1\nSHOP-2\nSHOP-1")).toMatchObject({ ok: false, error: "invalid", fieldErrors: { codes: ["offer.error.codesDuplicate"] }, message: { vars: { codes: "SHOP-1" } } });
    expect(await list("SHOP-1\nbad code")).toMatchObject({ ok: false, fieldErrors: { codes: ["offer.error.codesInvalid"] } });
    expect(await list("")).toMatchObject({ ok: false, fieldErrors: { codes: ["offer.error.codesRequired"] } });
    expect(await list("SHOP-1\nSHOP-2")).toMatchObject({ ok: true });
    expect(await list("SHOP-2\nSHOP-3")).toMatchObject({ ok: false, fieldErrors: { codes: ["offer.error.codesTaken"] }, message: { vars: { codes: "SHOP-2" } } });
    expect(await createOffer(services, mai.actor, offerFields({ validFrom: "2026-02-30" }))).toMatchObject({ ok: false, fieldErrors: { validFrom: ["offer.error.date"] } });
    expect(await createOffer(services, mai.actor, offerFields({ validFrom: "2026-12-10", validUntil: "2026-12-01" }))).toMatchObject({ ok: false, fieldErrors: { validUntil: ["offer.error.endsBeforeStart"] } });
    expect(await createOffer(services, mai.actor, offerFields({ sharedCode: "" }))).toMatchObject({ ok: false, fieldErrors: { sharedCode: ["offer.error.sharedCode"] } });
  });

  it("hands out a list in order, one per member, and refuses clearly when it runs out", async () => {
    const offerId = await newOffer(mai, { codeMode: "list", sharedCode: "", codes: "L-1\nL-2" });
    const extra = await createMember(services.db, { accountManagerId: mai.id });
    await consent(extra);
    await services.db.memberConsent.update({ where: { memberId_channel: { memberId: binh.id, channel: "offers" } }, data: { granted: true } }).catch(async () => consent(binh));
    // Three consenting members, two codes: nothing is issued, and the refusal says how many are left.
    expect(await issueOffer(services, mai.actor, { offerId, memberIds: [an.id, binh.id, extra.id] })).toMatchObject({
      ok: false,
      error: "tooMany",
      message: { key: "offer.error.codesRunOut", vars: { needed: 3, left: 2 } },
    });
    expect(await services.db.offerGrant.count({ where: { offerId } })).toBe(0);
    expect(await issueOffer(services, mai.actor, { offerId, memberIds: [an.id, binh.id] })).toMatchObject({ ok: true, issued: 2 });
    const codes = await services.db.offerGrant.findMany({ where: { offerId }, orderBy: { memberId: "asc" }, select: { code: true } });
    expect(codes.map((c) => c.code).sort()).toEqual(["L-1", "L-2"]);
    // More codes pasted later are added to the list; the code mode cannot change once issued.
    expect(await updateOffer(services, mai.actor, { ...offerFields({ codeMode: "list", sharedCode: "", codes: "L-3" }), offerId })).toMatchObject({ ok: true, codesAdded: 1 });
    expect(await updateOffer(services, mai.actor, { ...offerFields({ codeMode: "unique" }), offerId })).toMatchObject({ ok: false, fieldErrors: { codeMode: ["offer.error.codeModeLocked"] } });
    expect(await issueOffer(services, mai.actor, { offerId, memberIds: extra.id })).toMatchObject({ ok: true, issued: 1 });
    expect((await getOfferReport(services, mai.actor, offerId))!.list).toEqual({ total: 3, free: 0 });
  });

  it("lets only the author or an admin change an offer", async () => {
    const offerId = await newOffer(mai);
    expect(await updateOffer(services, nam.actor, { ...offerFields(), offerId })).toEqual({ ok: false, error: "notAllowed" });
    expect(await updateOffer(services, admin.actor, { ...offerFields({ titleEn: "Renamed" }), offerId })).toMatchObject({ ok: true });
    expect(await createOffer(services, an.actor, offerFields())).toEqual({ ok: false, error: "notAllowed" });
  });
});

describe("seeing and redeeming", () => {
  it("shows the member their code once they open it, counts it seen, and redeems it once", async () => {
    const offerId = await newOffer(mai, { codeMode: "unique", sharedCode: "" });
    await issueOffer(services, mai.actor, { offerId, memberIds: an.id });
    const [mine] = (await memberOffers(services, an.id)).filter((o) => o.offer.id === offerId);
    expect(mine).toMatchObject({ state: "usable", revealed: false, code: null });
    // Nobody else opens it.
    expect(await revealOffer(services, binh.actor, { grantId: mine!.id })).toEqual({ ok: false, error: "notFound" });
    expect(await revealOffer(services, an.actor, { grantId: mine!.id })).toEqual({ ok: true });
    const [opened] = (await memberOffers(services, an.id)).filter((o) => o.offer.id === offerId);
    expect(opened!.code).toMatch(/^[A-Z2-9]{4}-/);

    // Another manager's member's offer is not found for Nam; Mai marks it once.
    expect(await markOfferRedeemed(services, nam.actor, { grantId: mine!.id })).toEqual({ ok: false, error: "notFound" });
    expect(await markOfferRedeemed(services, mai.actor, { grantId: mine!.id })).toMatchObject({ ok: true, memberId: an.id, offerId });
    expect(await markOfferRedeemed(services, mai.actor, { grantId: mine!.id })).toMatchObject({ ok: false, error: "used" });
    expect(await services.db.touchpoint.count({ where: { memberId: an.id, kind: "offer.redeemed", subjectId: offerId } })).toBe(1);
    expect(await services.db.auditLog.count({ where: { action: "offer.redeemed", subjectId: offerId } })).toBe(1);

    const report = await getOfferReport(services, mai.actor, offerId);
    expect(report!.total).toEqual({ issued: 1, seen: 1, redeemed: 1 });
    expect(report!.stages).toEqual([{ stage: "loyal", issued: 1, seen: 1, redeemed: 1 }]);
    const listed = (await listOffers(services, mai.actor)).find((o) => o.id === offerId);
    expect(listed!.counts).toEqual({ issued: 1, seen: 1, redeemed: 1 });
    // Nam sees none of Mai's members in the counts.
    expect((await listOffers(services, nam.actor)).find((o) => o.id === offerId)!.counts).toEqual({ issued: 0, seen: 0, redeemed: 0 });
  });

  it("puts a member's offers in their data export", async () => {
    const exported = await exportMemberData(services, an.actor, { memberId: an.id });
    if (!exported.ok) throw new Error("export refused");
    expect(exported.data.offers.length).toBeGreaterThan(0);
    expect(exported.data.offers[0]).toMatchObject({ offer: { titleEn: expect.any(String), titleVi: expect.any(String) }, issuedAt: expect.any(Date) });
  });

  it("shows an expired offer as expired, without its code, and refuses to redeem it", async () => {
    const offerId = await newOffer(mai, { sharedCode: "OLD" });
    await issueOffer(services, mai.actor, { offerId, memberIds: an.id });
    const grant = (await services.db.offerGrant.findFirst({ where: { offerId } }))!;
    await revealOffer(services, an.actor, { grantId: grant.id });
    await services.db.offer.update({ where: { id: offerId }, data: { validUntil: new Date(Date.now() - 60_000) } });
    const [shown] = (await memberOffers(services, an.id)).filter((o) => o.offer.id === offerId);
    expect(shown).toMatchObject({ state: "expired", code: null });
    expect((await memberOffers(services, an.id, { usableOnly: true })).map((o) => o.offer.id)).not.toContain(offerId);
    expect(await markOfferRedeemed(services, mai.actor, { grantId: grant.id })).toMatchObject({ ok: false, error: "closed" });
  });

  it.runIf(usingPostgres)("lets exactly one of two simultaneous redemptions win", async () => {
    const offerId = await newOffer(mai, { codeMode: "unique", sharedCode: "" });
    await issueOffer(services, mai.actor, { offerId, memberIds: an.id });
    const grant = (await services.db.offerGrant.findFirst({ where: { offerId } }))!;
    for (let round = 0; round < 5; round++) {
      if (round) await services.db.offerGrant.update({ where: { id: grant.id }, data: { redeemedAt: null } });
      const results = await Promise.all([markOfferRedeemed(services, mai.actor, { grantId: grant.id }), markOfferRedeemed(services, admin.actor, { grantId: grant.id })]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.error === "used")).toHaveLength(1);
    }
  });
});
