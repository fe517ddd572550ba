import { describe, expect, it } from "vitest";
import { getProductBySlug } from "../../../app/modules/products/catalogue.server.ts";
import { recordOwners } from "../../../app/modules/products/ownership.server.ts";
import { listReviews, reportedReviews } from "../../../app/modules/products/reviews.server.ts";
import {
  deleteReview,
  dismissReviewReports,
  editReview,
  reportReview,
  respondToReview,
  setReviewHidden,
  toggleHelpful,
  writeReview,
} from "../../../app/modules/products/review-commands.server.ts";
import { STAFF_ONLY_TOUCHPOINT_KINDS, listTimeline } from "../../../app/modules/timeline/touchpoints.server.ts";
import { renderNotification } from "../../../app/i18n/notification-text.ts";
import { createMember, createStaff } from "../../factories/actors.ts";
import { createUser } from "../../factories/users.ts";
import { createModerator, createProduct } from "../../factories/co-creation.ts";
import { servicesForThisFile } from "../../support/services.ts";
import { formPost, routeAnswer, routeContext } from "../../support/routes.ts";
import { action as productPageAction } from "../../../app/routes/products.$slug.tsx";
import type { Person } from "../../factories/actors.ts";

const services = servicesForThisFile({ tickMs: 1_000 });

const review = (rating: number, title = "Honest opinion", body = "I have used it every day for a month.") => ({ rating, title, body });
const summary = async (slug: string) => (await getProductBySlug(services.db, slug))!.rating;
const bell = (userId: string, kind: string) => services.db.notification.findMany({ where: { userId, kind }, select: { data: true, link: true } });

describe("reviews", () => {
  it("one review per member per product, even when the form is sent twice at once", async () => {
    const product = await createProduct(services.db, { slug: "one-per-member" });
    const member = await createMember(services.db);
    const both = await Promise.all([writeReview(services, member.actor, { productId: product.id, ...review(5) }), writeReview(services, member.actor, { productId: product.id, ...review(4) })]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.filter((r) => !r.ok)).toEqual([{ ok: false, error: "alreadyReviewed" }]);
    expect(await writeReview(services, member.actor, { productId: product.id, ...review(3) })).toEqual({ ok: false, error: "alreadyReviewed" });
    expect(await services.db.productReview.count({ where: { productId: product.id } })).toBe(1);
    expect((await summary("one-per-member")).count).toBe(1);
  });

  it("bad input comes back as field errors; a retired product takes no new reviews", async () => {
    const product = await createProduct(services.db, { slug: "validation" });
    const member = await createMember(services.db);
    const result = await writeReview(services, member.actor, { productId: product.id, rating: "6", title: "", body: "short" });
    expect(result).toMatchObject({ ok: false, error: "invalid", fieldErrors: { rating: ["review.ratingRequired"], title: ["review.titleTooShort"], body: ["review.bodyTooShort"] } });
    const retired = await createProduct(services.db, { slug: "retired-one", status: "retired" });
    expect(await writeReview(services, member.actor, { productId: retired.id, ...review(4) })).toEqual({ ok: false, error: "retired" });
  });

  it("the average, count and histogram follow writes, edits, deletes and moderation", async () => {
    const product = await createProduct(services.db, { slug: "aggregates" });
    const people = await Promise.all([1, 2, 3, 4].map(() => createMember(services.db)));
    const ids: string[] = [];
    for (const [i, rating] of [5, 4, 4, 1].entries()) {
      const r = await writeReview(services, people[i]!.actor, { productId: product.id, ...review(rating) });
      if (!r.ok) throw new Error(r.error);
      ids.push(r.reviewId);
    }
    expect(await summary("aggregates")).toEqual({
      count: 4, average: 3.5,
      histogram: [{ stars: 5, count: 1 }, { stars: 4, count: 2 }, { stars: 3, count: 0 }, { stars: 2, count: 0 }, { stars: 1, count: 1 }],
    });
    expect(await editReview(services, people[3]!.actor, { reviewId: ids[3]!, ...review(3) })).toEqual({ ok: true });
    expect(await editReview(services, people[0]!.actor, { reviewId: ids[3]!, ...review(5) })).toEqual({ ok: false, error: "notAllowed" });
    expect((await summary("aggregates")).average).toBe(4);
    expect((await services.db.productReview.findUnique({ where: { id: ids[3]! } }))?.editedAt).not.toBeNull();

    const moderator = await createModerator(services.db);
    expect(await setReviewHidden(services, people[1]!.actor, { reviewId: ids[0]!, hidden: true })).toEqual({ ok: false, error: "notAllowed" });
    await setReviewHidden(services, moderator.actor, { reviewId: ids[0]!, hidden: true });
    expect(await summary("aggregates")).toMatchObject({ count: 3, average: 3.7 });
    await setReviewHidden(services, moderator.actor, { reviewId: ids[0]!, hidden: false });
    await deleteReview(services, people[2]!.actor, { reviewId: ids[2]! });
    expect(await summary("aggregates")).toMatchObject({ count: 3, average: 4 });
    // Deleting frees the place: the member may write again.
    expect((await writeReview(services, people[2]!.actor, { productId: product.id, ...review(2) })).ok).toBe(true);
    expect(await services.db.auditLog.count({ where: { action: { in: ["review.hidden", "review.restored"] }, subjectId: ids[0]! } })).toBe(2);
  });

  it("lists by most helpful, newest, highest and lowest, filters by stars, and marks verified owners", async () => {
    const product = await createProduct(services.db, { slug: "listing" });
    const manager = await createStaff(services.db);
    const owner = await createMember(services.db, { accountManagerId: manager.id });
    const other = await createMember(services.db);
    const voters = await Promise.all([1, 2].map(() => createMember(services.db)));
    await recordOwners(services, manager.actor, { productId: product.id, members: owner.email });
    const a = await writeReview(services, owner.actor, { productId: product.id, ...review(4, "Owner's view") });
    const b = await writeReview(services, other.actor, { productId: product.id, ...review(2, "Visitor's view") });
    if (!a.ok || !b.ok) throw new Error("write");
    for (const v of voters) await toggleHelpful(services, v.actor, { reviewId: b.reviewId });

    const titles = async (sort: "helpful" | "newest" | "highest" | "lowest", stars?: number) =>
      (await listReviews(services.db, product.id, { sort, stars })).items.map((r) => r.title);
    expect(await titles("helpful")).toEqual(["Visitor's view", "Owner's view"]);
    expect(await titles("newest")).toEqual(["Visitor's view", "Owner's view"]);
    expect(await titles("highest")).toEqual(["Owner's view", "Visitor's view"]);
    expect(await titles("lowest")).toEqual(["Visitor's view", "Owner's view"]);
    expect(await titles("helpful", 4)).toEqual(["Owner's view"]);
    const page = await listReviews(services.db, product.id, { viewer: voters[0]!.actor });
    expect(page.items.map((r) => [r.title, r.verifiedOwner, r.votedHelpful, r.helpfulCount])).toEqual([
      ["Visitor's view", false, true, 2],
      ["Owner's view", true, false, 0],
    ]);
  });
});

describe("helpful votes", () => {
  it("never on your own review; once per member, and a second press takes it back", async () => {
    const product = await createProduct(services.db, { slug: "helpful" });
    const author = await createMember(services.db);
    const reader = await createMember(services.db);
    const written = await writeReview(services, author.actor, { productId: product.id, ...review(5) });
    if (!written.ok) throw new Error("write");
    expect(await toggleHelpful(services, author.actor, { reviewId: written.reviewId })).toEqual({ ok: false, error: "ownReview" });
    expect(await toggleHelpful(services, reader.actor, { reviewId: written.reviewId })).toEqual({ ok: true, helpful: true });
    const count = async () => (await services.db.productReview.findUniqueOrThrow({ where: { id: written.reviewId } })).helpfulCount;
    expect(await count()).toBe(1);
    expect(await toggleHelpful(services, reader.actor, { reviewId: written.reviewId })).toEqual({ ok: true, helpful: false });
    expect(await count()).toBe(0);
    await toggleHelpful(services, reader.actor, { reviewId: written.reviewId });
    expect(await services.db.reviewHelpfulVote.count({ where: { reviewId: written.reviewId } })).toBe(1);
    expect((await listTimeline(services.db, reader.id, { kinds: ["review.marked_helpful"] })).items).toHaveLength(2);
  });
});

describe("staff responses, reports and moderation", () => {
  it("staff respond once, officially; the reviewer is notified once and it is on their timeline", async () => {
    const product = await createProduct(services.db, { slug: "responses", nameEn: "Rain jacket", nameVi: "Áo mưa" });
    const author = await createMember(services.db);
    const staff = await createStaff(services.db);
    const written = await writeReview(services, author.actor, { productId: product.id, ...review(4) });
    if (!written.ok) throw new Error("write");
    expect(await respondToReview(services, author.actor, { reviewId: written.reviewId, body: "Thanks!" })).toEqual({ ok: false, error: "notAllowed" });
    expect(await respondToReview(services, staff.actor, { reviewId: written.reviewId, body: "" })).toMatchObject({ error: "invalid" });
    expect(await respondToReview(services, staff.actor, { reviewId: written.reviewId, body: "Cảm ơn bạn! We **fixed** the hood." })).toEqual({ ok: true });
    expect(await respondToReview(services, staff.actor, { reviewId: written.reviewId, body: "Cảm ơn bạn! We fixed the hood in May." })).toEqual({ ok: true });
    await services.dispatcher.drainNow();
    const notices = await bell(author.id, "review.response");
    expect(notices).toEqual([{ data: { product: "Áo mưa", productEn: "Rain jacket" }, link: `/products/responses#review-${written.reviewId}` }]);
    expect(renderNotification("en", "review.response", notices[0]!.data)).toBe("Our team answered your review of Rain jacket");
    expect(renderNotification("vi", "review.response", notices[0]!.data)).toBe("Đội ngũ của chúng tôi đã phản hồi đánh giá của bạn về Áo mưa");
    const [listed] = (await listReviews(services.db, product.id)).items;
    expect(listed).toMatchObject({ responder: { displayName: staff.displayName }, responseHtml: "<p>Cảm ơn bạn! We fixed the hood in May.</p>\n" });
    expect(listed!.responseEditedAt).not.toBeNull();
    expect((await listTimeline(services.db, author.id, { kinds: ["review.response_received"] })).items).toHaveLength(1);
    expect(await services.db.auditLog.count({ where: { action: "review.response_saved", subjectId: written.reviewId } })).toBe(2);
  });

  it("members report a review once (never their own); moderators hide it or dismiss the reports, audited; hidden reviews leave public lists", async () => {
    const product = await createProduct(services.db, { slug: "reports" });
    const author = await createMember(services.db);
    const reporters = await Promise.all([1, 2].map(() => createMember(services.db)));
    const moderator = await createModerator(services.db);
    const written = await writeReview(services, author.actor, { productId: product.id, ...review(1, "BUY CHEAP WATCHES", "Visit http://spam.example now!") });
    if (!written.ok) throw new Error("write");
    expect(await reportReview(services, author.actor, { reviewId: written.reviewId, reason: "spam" })).toEqual({ ok: false, error: "ownReview" });
    expect(await reportReview(services, reporters[0]!.actor, { reviewId: written.reviewId, reason: "nonsense" })).toMatchObject({ error: "invalid" });
    expect(await reportReview(services, reporters[0]!.actor, { reviewId: written.reviewId, reason: "spam", note: "advert" })).toEqual({ ok: true });
    expect(await reportReview(services, reporters[0]!.actor, { reviewId: written.reviewId, reason: "spam" })).toEqual({ ok: false, error: "alreadyReported" });
    await reportReview(services, reporters[1]!.actor, { reviewId: written.reviewId, reason: "fake" });

    expect(await reportedReviews(services.db, author.actor)).toBeNull();
    const queue = await reportedReviews(services.db, moderator.actor);
    expect(queue?.find((q) => q.review.id === written.reviewId)).toMatchObject({ count: 2 });
    await setReviewHidden(services, moderator.actor, { reviewId: written.reviewId, hidden: true });
    expect((await reportedReviews(services.db, moderator.actor))?.find((q) => q.review.id === written.reviewId)).toBeUndefined();
    expect((await listReviews(services.db, product.id, { viewer: reporters[0]!.actor })).items).toEqual([]);
    expect((await listReviews(services.db, product.id)).items).toEqual([]);
    // Its author and moderators still see it, marked hidden.
    expect((await listReviews(services.db, product.id, { viewer: author.actor })).items[0]?.hiddenAt).not.toBeNull();
    expect((await listReviews(services.db, product.id, { viewer: moderator.actor })).items).toHaveLength(1);
    expect(await toggleHelpful(services, reporters[1]!.actor, { reviewId: written.reviewId })).toEqual({ ok: false, error: "notFound" });

    const other = await writeReview(services, reporters[0]!.actor, { productId: product.id, ...review(5) });
    if (!other.ok) throw new Error("write");
    await reportReview(services, reporters[1]!.actor, { reviewId: other.reviewId, reason: "other" });
    expect(await dismissReviewReports(services, reporters[1]!.actor, { reviewId: other.reviewId })).toEqual({ ok: false, error: "notAllowed" });
    expect(await dismissReviewReports(services, moderator.actor, { reviewId: other.reviewId })).toEqual({ ok: true });
    expect(await services.db.auditLog.count({ where: { action: { in: ["review.hidden", "review.reports_dismissed"] }, actorId: moderator.id } })).toBe(2);
  });
});

describe("low ratings", () => {
  it("a 1–2 star review notifies the account manager and leaves a staff-only 'needs attention' touchpoint that opens the chat", async () => {
    const product = await createProduct(services.db, { slug: "low-rating", nameVi: "Bình giữ nhiệt", nameEn: "Vacuum flask" });
    const manager = await createStaff(services.db);
    const member = await createMember(services.db, { accountManagerId: manager.id, displayName: "Phạm Minh Châu" });
    const written = await writeReview(services, member.actor, { productId: product.id, ...review(2, "Leaks after a week") });
    if (!written.ok) throw new Error("write");
    await services.dispatcher.drainNow();
    const conversation = await services.db.conversation.findUniqueOrThrow({ where: { memberId: member.id } });
    const notices = await bell(manager.id, "review.low_rating");
    expect(notices).toEqual([{ data: { name: "Phạm Minh Châu", product: "Bình giữ nhiệt", productEn: "Vacuum flask", rating: 2 }, link: `/staff/inbox/${conversation.id}` }]);
    expect(renderNotification("en", "review.low_rating", notices[0]!.data)).toBe("Phạm Minh Châu gave Vacuum flask 2 stars: follow up with them");

    const staffView = await listTimeline(services.db, member.id, { kinds: ["review.needs_attention"] });
    expect(staffView.items).toHaveLength(1);
    expect(staffView.items[0]!.data).toMatchObject({ rating: 2, link: `/staff/inbox/${conversation.id}` });
    const memberView = await listTimeline(services.db, member.id, { excludeKinds: STAFF_ONLY_TOUCHPOINT_KINDS });
    expect(memberView.items.map((i) => i.kind)).toEqual(["review.written"]);
  });

  it("3 stars and up ask for nothing; an edit down to 1 star does; a member without a manager still gets the touchpoint", async () => {
    const product = await createProduct(services.db, { slug: "low-rating-edit" });
    const manager = await createStaff(services.db);
    const member = await createMember(services.db, { accountManagerId: manager.id });
    const written = await writeReview(services, member.actor, { productId: product.id, ...review(4) });
    if (!written.ok) throw new Error("write");
    await services.dispatcher.drainNow();
    expect(await bell(manager.id, "review.low_rating")).toHaveLength(0);
    await editReview(services, member.actor, { reviewId: written.reviewId, ...review(1) });
    await editReview(services, member.actor, { reviewId: written.reviewId, ...review(2, "Still bad") });
    await services.dispatcher.drainNow();
    expect(await bell(manager.id, "review.low_rating")).toHaveLength(1);

    const loner = await createUser(services.db, { passwordHash: "x" });
    const lonely = await writeReview(services, { id: loner.id, role: "member" }, { productId: product.id, ...review(1) });
    expect(lonely.ok).toBe(true);
    const items = (await listTimeline(services.db, loner.id, { kinds: ["review.needs_attention"] })).items;
    expect(items[0]!.data).toMatchObject({ link: `/staff/members/${loner.id}` });
  });
});

describe("rate limits", () => {
  it("a burst of helpful votes is refused with how long to wait", async () => {
    const product = await createProduct(services.db, { slug: "rate-limit" });
    const clicker = await createMember(services.db);
    const author = await createMember(services.db);
    const written = await writeReview(services, author.actor, { productId: product.id, ...review(3) });
    if (!written.ok) throw new Error("write");
    let last: Awaited<ReturnType<typeof toggleHelpful>> | undefined;
    for (let i = 0; i < 61; i++) last = await toggleHelpful(services, clicker.actor, { reviewId: written.reviewId });
    expect(last).toMatchObject({ ok: false, error: "rateLimited" });
  });
});

describe("the product page's forms", () => {
  const post = (slug: string, person: Person, fields: Record<string, string>) =>
    routeAnswer(() => productPageAction({ request: formPost(`/products/${slug}`, fields), context: routeContext(services, person), params: { slug } }));
  const text = { title: "Lovely", body: "Used it all summer long." };

  it("each intent runs its command; a refusal answers with its status and the page's words, and keeps what was typed", async () => {
    await createProduct(services.db, { slug: "page-forms" });
    await createProduct(services.db, { slug: "page-retired", status: "retired" });
    const [author, reader] = await Promise.all([createMember(services.db), createMember(services.db)]);

    const written = await post("page-forms", author, { intent: "write", rating: "5", ...text });
    expect(written).toMatchObject({ status: 302, location: expect.stringMatching(/^\/products\/page-forms\?sort=newest#review-/) });
    const reviewId = written.location!.split("#review-")[1]!;
    expect(await post("page-forms", author, { intent: "write", rating: "4", ...text, title: "Again" })).toMatchObject({
      status: 409,
      data: { intent: "write", formError: "You have already reviewed this product. Edit your review instead.", values: { title: "Again" } },
    });
    expect(await post("page-retired", author, { intent: "write", rating: "4", ...text })).toMatchObject({ status: 409, data: { formError: "This product is retired and takes no new reviews." } });
    expect(await post("page-forms", reader, { intent: "write", rating: "9", ...text })).toMatchObject({ status: 400, data: { fieldErrors: { rating: ["review.ratingRequired"] }, formError: null } });

    expect(await post("page-forms", author, { intent: "report", reviewId, reason: "spam" })).toMatchObject({ status: 409, data: { reviewId, formError: "You cannot do this on your own review." } });
    expect(await post("page-forms", reader, { intent: "report", reviewId, reason: "spam" })).toMatchObject({ status: 200, data: { done: "review.reported", formError: null } });
    expect(await post("page-forms", reader, { intent: "hide", reviewId })).toMatchObject({ status: 403, data: { formError: "You can't do that here." } });
    expect(await post("page-forms", reader, { intent: "helpful", reviewId })).toMatchObject({ status: 302, location: `/products/page-forms#review-${reviewId}` });
    expect(await post("page-forms", reader, { intent: "edit", reviewId, rating: "1", ...text })).toMatchObject({ status: 403 });
    expect(await post("page-forms", reader, { intent: "nonsense" })).toMatchObject({ status: 400 });
    expect(await services.db.productReview.findUniqueOrThrow({ where: { id: reviewId }, select: { rating: true, helpfulCount: true } })).toEqual({ rating: 5, helpfulCount: 1 });
  });
});
