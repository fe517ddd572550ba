/**
 * The permission matrix of co-creation: every module function that changes
 * something, tried by a member, a moderator, staff and an admin. The checks
 * live in the modules, so a route that forgets one cannot open a hole.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../app/generated/prisma/enums.ts";
import type { Actor } from "../../../app/modules/policy/actor.ts";
import { saveProduct, saveProductCategory, uploadProductImage } from "../../../app/modules/products/catalogue.server.ts";
import { listOwners, recordOwners, removeOwner } from "../../../app/modules/products/ownership.server.ts";
import { reportedReviews } from "../../../app/modules/products/reviews.server.ts";
import { deleteReview, dismissReviewReports, editReview, respondToReview, setReviewHidden, writeReview } from "../../../app/modules/products/review-commands.server.ts";
import { addComment, deleteComment, editComment, editIdea, removeIdea, submitIdea, toggleVote } from "../../../app/modules/ideas/idea-commands.server.ts";
import { mergeIdeas, setIdeaStatus } from "../../../app/modules/ideas/status.server.ts";
import { createUser } from "../../factories/users.ts";
import { createProduct } from "../../factories/co-creation.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile({ tickMs: 1_000 });
const ROLES: Role[] = ["member", "moderator", "staff", "admin"];

/** Denied results look like this; anything else is "allowed" (it may still fail validation, never authorization). */
const denied = (result: unknown) => {
  const r = result as { ok?: boolean; error?: string } | null;
  return r === null || (r?.ok === false && r.error === "notAllowed");
};

let author: Actor;
let reviewId: string;
let ideaId: string;
let commentId: string;
let productId: string;

beforeAll(async () => {
  const a = await createUser(services.db, { passwordHash: "x" });
  author = { id: a.id, role: a.role };
  const product = await createProduct(services.db, { slug: "matrix" });
  productId = product.id;
  const review = await writeReview(services, author, { productId, rating: 4, title: "Author's review", body: "Works as described, every day." });
  const idea = await submitIdea(services, author, { title: "Author's idea for the matrix", body: "Something worth building." });
  if (!review.ok || !idea.ok) throw new Error("setup");
  reviewId = review.reviewId;
  ideaId = idea.ideaId;
  const comment = await addComment(services, author, { ideaId: ideaId, body: "The author's own comment." });
  if (!comment.ok) throw new Error("setup");
  commentId = comment.commentId;
});

async function actorWith(role: Role) {
  const u = await createUser(services.db, { passwordHash: "x", role });
  return { id: u.id, role: u.role } satisfies Actor;
}

type Case = [name: string, allowed: Role[], attempt: (actor: Actor) => Promise<unknown>];

const CASES: Case[] = [
  ["manage the catalogue", ["admin"], (actor) => saveProduct(services, actor, { slug: `p-${actor.id.slice(0, 6).toLowerCase()}`, nameVi: "Tên", nameEn: "Name", status: "active" })],
  ["manage product categories", ["admin"], (actor) => saveProductCategory(services, actor, { slug: `c-${actor.id.slice(0, 6).toLowerCase()}`, nameVi: "Loại", nameEn: "Kind" })],
  ["upload a product picture", ["admin"], (actor) => uploadProductImage(services, actor, { productId, file: null })],
  ["record owners", ["staff", "admin"], (actor) => recordOwners(services, actor, { productId, members: "nobody@example.test" })],
  ["remove an owner", ["staff", "admin"], (actor) => removeOwner(services, actor, { productId, memberId: "no-such-member" })],
  ["write a review", ["member", "moderator", "staff", "admin"], (actor) => writeReview(services, actor, { productId, rating: 5, title: "Mine", body: "My own honest opinion." })],
  ["edit someone else's review", [], (actor) => editReview(services, actor, { reviewId, rating: 1, title: "Hijacked", body: "Someone else's words." })],
  ["delete someone else's review", [], (actor) => deleteReview(services, actor, { reviewId })],
  ["respond officially to a review", ["staff", "admin"], (actor) => respondToReview(services, actor, { reviewId, body: "" })],
  ["hide or restore a review", ["moderator", "staff", "admin"], (actor) => setReviewHidden(services, actor, { reviewId, hidden: false })],
  ["dismiss review reports", ["moderator", "staff", "admin"], (actor) => dismissReviewReports(services, actor, { reviewId })],
  ["read the reported-reviews queue", ["moderator", "staff", "admin"], (actor) => reportedReviews(services.db, actor)],
  ["suggest an idea", ["member", "moderator", "staff", "admin"], (actor) => submitIdea(services, actor, { title: `Idea by ${actor.id}`, body: "Worth doing soon." })],
  ["vote for an idea", ["member", "moderator", "staff", "admin"], (actor) => toggleVote(services, actor, { ideaId: ideaId })],
  ["comment on an idea", ["member", "moderator", "staff", "admin"], (actor) => addComment(services, actor, { ideaId: ideaId, body: "A comment." })],
  ["edit someone else's comment", [], (actor) => editComment(services, actor, { commentId: commentId, body: "Hijacked." })],
  ["remove someone else's comment", ["moderator", "staff", "admin"], moderatorCheck],
  ["change an idea's status", ["staff", "admin"], (actor) => setIdeaStatus(services, actor, { ideaId: ideaId, status: "", comment: "" })],
  ["edit someone else's idea", ["staff", "admin"], (actor) => editIdea(services, actor, { ideaId: ideaId, title: "x", body: "" })],
  ["remove an idea", ["moderator", "staff", "admin"], (actor) => removeIdea(services, actor, { ideaId: "no-such-idea" }).then((r) => (r.ok || r.error !== "notAllowed" ? { ok: true } : r))],
  ["merge ideas", ["staff", "admin"], (actor) => mergeIdeas(services, actor, { duplicateId: ideaId, survivorId: ideaId })],
];

/** Each try removes a fresh comment of the author's, so the first success does not hide the next refusal. */
async function moderatorCheck(actor: Actor) {
  const copy = await addComment(services, author, { ideaId, body: `Copy for ${actor.role}.` });
  if (!copy.ok) throw new Error("copy");
  return deleteComment(services, actor, { commentId: copy.commentId });
}

describe("the co-creation permission matrix", () => {
  for (const [name, allowed, attempt] of CASES) {
    it.each(ROLES)(`${name}: %s`, async (role) => {
      const result = await attempt(await actorWith(role));
      expect(denied(result), `${role} ${allowed.includes(role) ? "should" : "should not"} be allowed to ${name}: ${JSON.stringify(result)}`).toBe(!allowed.includes(role));
    });
  }

  it("staff see and record owners only among the members they manage; admins among all", async () => {
    const staff = await actorWith("staff");
    const admin = await actorWith("admin");
    const theirs = await createUser(services.db, { passwordHash: "x", accountManagerId: staff.id });
    const someoneElses = await createUser(services.db, { passwordHash: "x" });
    const result = await recordOwners(services, staff, { productId, members: `${theirs.email} ${someoneElses.email}` });
    expect(result).toMatchObject({ ok: true, report: { recorded: [theirs.displayName], notYours: [someoneElses.displayName] } });
    expect(await recordOwners(services, admin, { productId, members: someoneElses.email })).toMatchObject({ ok: true, report: { recorded: [someoneElses.displayName] } });
    expect((await listOwners(services.db, staff, productId)).map((o) => o.id)).toEqual([theirs.id]);
    expect((await listOwners(services.db, admin, productId)).map((o) => o.id).sort()).toEqual([theirs.id, someoneElses.id].sort());
    expect(await removeOwner(services, staff, { productId, memberId: someoneElses.id })).toEqual({ ok: false, error: "notAllowed" });
  });

  it("nothing a refused actor tried changed the author's review, idea or comment", async () => {
    const review = await services.db.productReview.findUniqueOrThrow({ where: { id: reviewId }, select: { title: true, hiddenAt: true } });
    expect(review).toEqual({ title: "Author's review", hiddenAt: null });
    const comment = await services.db.ideaComment.findUniqueOrThrow({ where: { id: commentId }, select: { bodyMarkdown: true, deletedAt: true } });
    expect(comment).toEqual({ bodyMarkdown: "The author's own comment.", deletedAt: null });
    expect((await services.db.idea.findUniqueOrThrow({ where: { id: ideaId }, select: { status: true } })).status).toBe("open");
  });
});
