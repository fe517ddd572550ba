/**
 * Segments: each condition against a seeded population, AND/OR groups, the member scope cut into
 * every count, field errors for bad definitions, and who may change a saved segment.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { servicesForThisFile } from "../../support/services.ts";
import { createAdmin, createMember, createStaff } from "../../factories/actors.ts";
import { createProduct, createReview } from "../../factories/co-creation.ts";
import { addConsent, addPreference, addTouchpoint } from "../../factories/relationship.ts";
import { archiveSegment, createSegment, getSegment, previewSegment, segmentMembersWhere, updateSegment } from "../../../app/modules/segments/segments.server.ts";
import { setConsents } from "../../../app/modules/members/consent.server.ts";
import type { SegmentCondition, SegmentDefinition } from "../../../app/modules/segments/definition.ts";
import type { Actor } from "../../../app/modules/policy/actor.ts";

const services = servicesForThisFile();
const DAY = 86_400_000;
const actorOf = (u: { id: string; role: string }) => ({ id: u.id, role: u.role }) as Actor;
const one = (c: SegmentCondition): SegmentDefinition => ({ match: "and", groups: [{ match: "and", conditions: [c] }] });

type Who = { id: string; displayName: string; role: string };
let admin: Who, mai: Who, nam: Who;
let an: Who, binh: Who, chau: Who;
let phin: { id: string };

beforeAll(async () => {
  const db = services.db;
  const now = new Date();
  admin = await createAdmin(db);
  mai = await createStaff(db, { displayName: "Mai" });
  nam = await createStaff(db, { displayName: "Nam" });
  // An: Mai's, loyal, owns the Phin, likes coffee, newsletter yes, reviewed 5★ this week, English.
  an = await createMember(db, { displayName: "An", accountManagerId: mai.id, locale: "en", createdAt: new Date("2024-03-01T00:00:00Z") });
  // Bình: Mai's, loyal, no Phin, no consent, inactive for 200 days.
  binh = await createMember(db, { displayName: "Bình", accountManagerId: mai.id, locale: "vi", createdAt: new Date("2026-06-01T00:00:00Z") });
  // Châu: Nam's, build, owns the Phin, posted 40 days ago, 2★ review.
  chau = await createMember(db, { displayName: "Châu", accountManagerId: nam.id, locale: "vi", createdAt: new Date("2025-01-10T00:00:00Z") });
  // Dũng: no manager, attract.
  await createMember(db, { displayName: "Dũng", locale: "vi", createdAt: new Date("2026-11-01T00:00:00Z") });

  await db.user.update({ where: { id: an.id }, data: { stage: "loyal", engagementScore: 42, lastActivityAt: new Date(now.getTime() - 2 * DAY) } });
  await db.user.update({ where: { id: binh.id }, data: { stage: "loyal", engagementScore: 5, lastActivityAt: new Date(now.getTime() - 200 * DAY) } });
  await db.user.update({ where: { id: chau.id }, data: { stage: "build", engagementScore: 15, lastActivityAt: new Date(now.getTime() - 40 * DAY) } });

  phin = await createProduct(db, { slug: "phin", nameVi: "Phin cà phê", nameEn: "Phin coffee filter" });
  for (const m of [an, chau]) await db.productOwnership.create({ data: { productId: phin.id, memberId: m.id } });
  await db.memberTag.createMany({ data: [{ memberId: an.id, tag: "vip" }, { memberId: an.id, tag: "hanoi" }, { memberId: chau.id, tag: "hanoi" }] });
  await addPreference(db, { memberId: an.id, key: "product_interests", value: "Coffee, tea", source: "member", actorId: an.id, at: now });
  await addPreference(db, { memberId: chau.id, key: "packaging", value: "gift", source: "staff", actorId: nam.id, at: now });
  await addConsent(db, { memberId: an.id, channel: "newsletter", granted: true, source: "profile", at: now });
  await addConsent(db, { memberId: chau.id, channel: "newsletter", granted: true, source: "profile", at: new Date(now.getTime() - 10 * DAY) });
  await addConsent(db, { memberId: chau.id, channel: "newsletter", granted: false, source: "profile", at: now });
  const product = { nameVi: "Phin cà phê", nameEn: "Phin coffee filter", slug: "phin" };
  await createReview(db, { productId: phin.id, product, authorId: an.id, rating: 5, title: "Ngon", body: "Rất tốt", at: new Date(now.getTime() - 3 * DAY) });
  await createReview(db, { productId: phin.id, product, authorId: chau.id, rating: 2, title: "Chậm", body: "Nhỏ giọt chậm", at: new Date(now.getTime() - 30 * DAY) });
  await addTouchpoint(db, { memberId: chau.id, kind: "forum.replied", at: new Date(now.getTime() - 40 * DAY) });
});

/**
 * Whom the segment finds, as the editor's count and sample show it (the SQL compiler), checked
 * against the Prisma filter the members table, export, announcements and offers use.
 */
async function names(definition: SegmentDefinition, who: Who = admin) {
  const { count, sample } = await previewSegment(services, actorOf(who), definition);
  const found = sample.map((m) => m.displayName).sort();
  expect(count).toBe(found.length);
  const filtered = await services.db.user.findMany({ where: await segmentMembersWhere(services, actorOf(who), definition), select: { displayName: true } });
  expect(filtered.map((m) => m.displayName).sort()).toEqual(found);
  return found;
}

describe("each condition finds exactly the members it describes", () => {
  it.each<[string, SegmentCondition, string[]]>([
    ["stage in", { field: "stage", op: "in", values: ["loyal"] }, ["An", "Bình"]],
    ["stage not in", { field: "stage", op: "not_in", values: ["loyal", "build"] }, ["Dũng"]],
    ["engagement band", { field: "engagement_band", values: ["medium", "high"] }, ["An", "Châu"]],
    ["engagement score range", { field: "engagement_score", min: 10, max: 20 }, ["Châu"]],
    ["manager", { field: "manager", op: "in", values: ["MAI", "none"] }, ["An", "Bình", "Dũng"]],
    ["manager not in keeps members without one", { field: "manager", op: "not_in", values: ["MAI"] }, ["Châu", "Dũng"]],
    ["any tag", { field: "tag", op: "any", values: ["vip", "hanoi"] }, ["An", "Châu"]],
    ["all tags", { field: "tag", op: "all", values: ["vip", "hanoi"] }, ["An"]],
    ["none of the tags", { field: "tag", op: "none", values: ["hanoi"] }, ["Bình", "Dũng"]],
    ["owns the product", { field: "owns_product", op: "any", values: ["PHIN"] }, ["An", "Châu"]],
    ["does not own it", { field: "owns_product", op: "none", values: ["PHIN"] }, ["Bình", "Dũng"]],
    ["a remembered interest, any case", { field: "preference", key: "product_interests", op: "contains", value: "COFFEE" }, ["An"]],
    ["a preference with a value", { field: "preference", key: "packaging", op: "is", value: "gift" }, ["Châu"]],
    ["a preference never given", { field: "preference", key: "packaging", op: "unset" }, ["An", "Bình", "Dũng"]],
    ["language", { field: "language", values: ["en"] }, ["An"]],
    ["member since before", { field: "member_since", op: "before", date: "2025-06-01" }, ["An", "Châu"]],
    ["member since after", { field: "member_since", op: "after", date: "2026-06-01" }, ["Bình", "Dũng"]],
    ["active within", { field: "last_activity", op: "within", days: 30 }, ["An"]],
    ["not active within (never counts)", { field: "last_activity", op: "not_within", days: 90 }, ["Bình", "Dũng"]],
    ["reviewed within", { field: "activity", activity: "reviewed", op: "has", days: 7 }, ["An"]],
    ["reviewed ever", { field: "activity", activity: "reviewed", op: "has" }, ["An", "Châu"]],
    ["has not posted in 30 days", { field: "activity", activity: "posted", op: "has_not", days: 30 }, ["An", "Bình", "Châu", "Dũng"]],
    ["posted in 60 days", { field: "activity", activity: "posted", op: "has", days: 60 }, ["Châu"]],
    ["a low review", { field: "review_rating", min: 1, max: 2 }, ["Châu"]],
    ["newsletter consent: the latest answer counts", { field: "consent", channel: "newsletter", granted: true }, ["An"]],
    ["no newsletter consent, never asked included", { field: "consent", channel: "newsletter", granted: false }, ["Bình", "Châu", "Dũng"]],
  ])("%s", async (_name, condition, expected) => {
    const ids: Record<string, string> = { MAI: mai.id, PHIN: phin.id };
    const resolved = JSON.parse(JSON.stringify(condition), (_k, v) => (typeof v === "string" && ids[v] ? ids[v] : v));
    expect(await names(one(resolved))).toEqual(expected);
  });
});

describe("groups", () => {
  it("ANDs conditions inside a group and ORs groups when asked: loyal and owns the Phin, or any member of Nam's", async () => {
    const definition: SegmentDefinition = {
      match: "or",
      groups: [
        { match: "and", conditions: [{ field: "stage", op: "in", values: ["loyal"] }, { field: "owns_product", op: "any", values: [phin.id] }] },
        { match: "and", conditions: [{ field: "manager", op: "in", values: [nam.id] }] },
      ],
    };
    expect(await names(definition)).toEqual(["An", "Châu"]);
    expect(await names({ ...definition, match: "and" })).toEqual([]);
  });

  it("ORs relation conditions as one set, with or without other conditions beside them: (likes coffee or #hanoi) and newsletter consent", async () => {
    const coffeeOrHanoi: SegmentDefinition["groups"][number] = { match: "or", conditions: [{ field: "preference", key: "product_interests", op: "contains", value: "coffee" }, { field: "tag", op: "any", values: ["hanoi"] }] };
    expect(await names({ match: "and", groups: [coffeeOrHanoi] })).toEqual(["An", "Châu"]);
    expect(await names({ match: "and", groups: [coffeeOrHanoi, { match: "and", conditions: [{ field: "consent", channel: "newsletter", granted: true }] }] })).toEqual(["An"]);
    // A set ORed with a "none" condition and with a column condition.
    expect(await names(one({ field: "owns_product", op: "any", values: [phin.id] }))).toEqual(["An", "Châu"]);
    const ownsOrNoConsent: SegmentDefinition = {
      match: "and",
      groups: [{ match: "or", conditions: [{ field: "owns_product", op: "any", values: [phin.id] }, { field: "consent", channel: "newsletter", granted: false }, { field: "stage", op: "in", values: ["attract"] }] }],
    };
    expect(await names(ownsOrNoConsent)).toEqual(["An", "Bình", "Châu", "Dũng"]);
    // Groups that are each a set, ORed: reviewed ever, or #vip; and in Mai's scope only An.
    const reviewedOrVip: SegmentDefinition = {
      match: "or",
      groups: [{ match: "and", conditions: [{ field: "activity", activity: "reviewed", op: "has" }] }, { match: "and", conditions: [{ field: "tag", op: "any", values: ["vip"] }] }],
    };
    expect(await names(reviewedOrVip)).toEqual(["An", "Châu"]);
    expect(await names(reviewedOrVip, mai)).toEqual(["An"]);
  });

  it("follows a change of consent at once, through the command", async () => {
    const definition = one({ field: "consent", channel: "newsletter", granted: true });
    expect(await names(definition)).toEqual(["An"]);
    expect(await setConsents(services, actorOf(binh), { memberId: binh.id, newsletter: "on" })).toMatchObject({ ok: true });
    expect(await names(definition)).toEqual(["An", "Bình"]);
    expect(await setConsents(services, actorOf(binh), { memberId: binh.id })).toMatchObject({ ok: true });
    expect(await names(definition)).toEqual(["An"]);
  });
});

describe("scope", () => {
  it("counts only the viewer's own members for staff, everyone for an admin", async () => {
    const loyalOrBuild = one({ field: "stage", op: "in", values: ["loyal", "build"] });
    expect(await names(loyalOrBuild, admin)).toEqual(["An", "Bình", "Châu"]);
    expect(await names(loyalOrBuild, mai)).toEqual(["An", "Bình"]);
    expect(await names(loyalOrBuild, nam)).toEqual(["Châu"]);
    // Naming another manager in the conditions widens nothing.
    expect(await names(one({ field: "manager", op: "in", values: [mai.id] }), nam)).toEqual([]);
  });
});

describe("saving", () => {
  const loyal = JSON.stringify(one({ field: "stage", op: "in", values: ["loyal"] }));

  it("saves, updates and archives a segment, audited; only its author or an admin may change it", async () => {
    const made = await createSegment(services, actorOf(mai), { name: "  Loyal  ", description: "", definition: loyal });
    expect(made).toMatchObject({ ok: true });
    const id = (made as { id: string }).id;
    expect(await getSegment(services, id)).toMatchObject({ name: "Loyal", description: null, definition: { groups: [{ conditions: [{ field: "stage" }] }] } });

    expect(await updateSegment(services, actorOf(nam), { segmentId: id, name: "Mine now", definition: loyal })).toMatchObject({ ok: false, error: "notAllowed" });
    expect(await updateSegment(services, actorOf(admin), { segmentId: id, name: "Loyal regulars", definition: loyal })).toMatchObject({ ok: true });
    expect((await getSegment(services, id))?.name).toBe("Loyal regulars");
    expect(await archiveSegment(services, actorOf(nam), { segmentId: id })).toMatchObject({ ok: false, error: "notAllowed" });
    expect(await archiveSegment(services, actorOf(mai), { segmentId: id })).toMatchObject({ ok: true });
    expect(await getSegment(services, id)).toBeNull();
    expect(await archiveSegment(services, actorOf(mai), { segmentId: id })).toMatchObject({ ok: false, error: "notFound" });
    const actions = (await services.db.auditLog.findMany({ where: { subjectId: id }, orderBy: { id: "asc" }, select: { action: true } })).map((a) => a.action);
    expect(actions).toEqual(["segment.created", "segment.updated", "segment.archived"]);
  });

  it("refuses members, bad definitions with a field error, and unknown ids as not found", async () => {
    expect(await createSegment(services, actorOf(an), { name: "x", definition: loyal })).toMatchObject({ ok: false, error: "notAllowed" });
    const bad = async (definition: unknown) => createSegment(services, actorOf(mai), { name: "x", definition });
    expect(await bad("{not json")).toMatchObject({ ok: false, error: "invalid", fieldErrors: { definition: ["segment.definitionInvalid"] } });
    expect(await bad(JSON.stringify({ match: "and", groups: [{ match: "and", conditions: [] }] }))).toMatchObject({ fieldErrors: { definition: ["segment.noConditions"] } });
    expect(await bad(one({ field: "engagement_score", min: 30, max: 10 }))).toMatchObject({ fieldErrors: { definition: ["segment.rangeOrder"] } });
    expect(await bad(one({ field: "preference", key: "packaging", op: "is" }))).toMatchObject({ fieldErrors: { definition: ["segment.valueRequired"] } });
    expect(await bad(JSON.stringify({ match: "and", groups: [{ match: "and", conditions: [{ field: "stage", op: "in", values: ["vip\u0000"] }] }] }))).toMatchObject({ ok: false, error: "invalid" });
    expect(await createSegment(services, actorOf(mai), { name: "", definition: loyal })).toMatchObject({ fieldErrors: { name: ["validation.required"] } });
    expect(await updateSegment(services, actorOf(mai), { segmentId: "nope", name: "x", definition: loyal })).toMatchObject({ ok: false, error: "notFound" });
    expect(await services.db.segment.count({ where: { name: "x" } })).toBe(0);
  });
});
