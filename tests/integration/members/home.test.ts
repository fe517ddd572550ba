/**
 * The home page a signed-in person lands on: a member sees what is new in the
 * community, their account manager, their ideas and the products they have not
 * reviewed yet; staff see their work instead; a visitor sees the welcome.
 */
import { describe, expect, it } from "vitest";
import { loader as home } from "../../../app/routes/_index.tsx";
import { createMember, createStaff } from "../../factories/actors.ts";
import { createIdea, createProduct, createReview, recountRatings } from "../../factories/co-creation.ts";
import { createCategory, createThread } from "../../factories/forums.ts";
import { ORIGIN, routeAnswer, routeContext } from "../../support/routes.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile();
const open = async (person: Parameters<typeof routeContext>[1]) =>
  (await routeAnswer(() => home({ request: new Request(`${ORIGIN}/`), context: routeContext(services, person), params: {} }))).data as {
    staff: boolean;
    member: {
      manager: { id: string } | null;
      latest: { id: string }[];
      ideas: { title: string; status: string }[];
      toReview: { slug: string }[];
    } | null;
    guest: {
      latest: { id: string; title: string }[];
      ideas: { id: string; title: string; voteCount: number }[];
      products: { slug: string; nameVi: string; nameEn: string; image: string | null; rating: { average: number | null; count: number } }[];
    } | null;
  };

describe("the home page", () => {
  it("gives a member the latest threads they may read, their manager, their own ideas, and owned products still to review", async () => {
    const manager = await createStaff(services.db);
    const member = await createMember(services.db, { accountManagerId: manager.id });
    const other = await createMember(services.db);
    const open_ = await createCategory(services.db);
    const staffOnly = await createCategory(services.db, { readRole: "staff", postingRole: "staff" });
    const at = new Date();
    const { threadId } = await createThread(services.db, { categoryId: open_.id, authorId: other.id, title: "Bình giữ nhiệt có giữ lạnh không?", body: "…", at });
    const hidden = await createThread(services.db, { categoryId: staffOnly.id, authorId: manager.id, title: "Lịch trực", body: "…", at });
    await createIdea(services.db, { authorId: member.id, title: "Thêm màu xanh rêu", body: "…", at });
    await createIdea(services.db, { authorId: other.id, title: "Ý tưởng của người khác", body: "…", at });
    const reviewed = await createProduct(services.db);
    const unreviewed = await createProduct(services.db);
    const retired = await createProduct(services.db, { status: "retired" });
    await services.db.productOwnership.createMany({ data: [reviewed, unreviewed, retired].map((p) => ({ productId: p.id, memberId: member.id })) });
    await createReview(services.db, { productId: reviewed.id, product: reviewed, authorId: member.id, rating: 5, title: "Tốt", body: "Rất tốt", at });

    const page = await open(member);
    expect(page.staff).toBe(false);
    expect(page.member!.manager?.id).toBe(manager.id);
    expect(page.member!.latest.map((t) => t.id)).toContain(threadId);
    expect(page.member!.latest.map((t) => t.id)).not.toContain(hidden.threadId);
    expect(page.member!.ideas).toEqual([expect.objectContaining({ title: "Thêm màu xanh rêu", status: "open" })]);
    expect(page.member!.toReview.map((p) => p.slug)).toEqual([unreviewed.slug]);
  });

  it("gives staff their work instead of an account manager, and a visitor the welcome", async () => {
    const staff = await createStaff(services.db);
    expect(await open(staff)).toMatchObject({ staff: true, member: null });
    expect(await open(null)).toMatchObject({ staff: false, member: null });
  });

  it("shows a visitor what the community offers: public threads, the most voted open ideas and the best-rated products", async () => {
    const staff = await createStaff(services.db);
    const members = await Promise.all([1, 2, 3, 4].map(() => createMember(services.db)));
    const publicCategory = await createCategory(services.db);
    const staffOnly = await createCategory(services.db, { readRole: "staff", postingRole: "staff" });
    const at = new Date();
    const visible = await createThread(services.db, { categoryId: publicCategory.id, authorId: members[0]!.id, title: "Lều hai người có chống mưa tốt không?", body: "…", at });
    const internal = await createThread(services.db, { categoryId: staffOnly.id, authorId: staff.id, title: "Ghi chú nội bộ về giá", body: "…", at });
    const voters = (n: number) => members.slice(0, n).map((m) => ({ userId: m.id, at }));
    const popular = await createIdea(services.db, { authorId: members[0]!.id, title: "Giao hàng buổi tối", body: "…", at, voters: voters(4) });
    await createIdea(services.db, { authorId: members[1]!.id, title: "Thêm màu cam", body: "…", at });
    await createIdea(services.db, { authorId: members[2]!.id, title: "Declined but popular", body: "…", at, voters: voters(4), history: [{ to: "declined", by: staff.id, at }] });
    const best = await createProduct(services.db, { nameVi: "Đèn pin siêu sáng", nameEn: "Bright torch" });
    const poor = await createProduct(services.db, { nameVi: "Ô gấp", nameEn: "Folding umbrella" });
    const unrated = await createProduct(services.db);
    for (const [product, rating, author] of [[best, 5, members[0]!], [best, 5, members[1]!], [poor, 1, members[2]!]] as const) {
      await createReview(services.db, { productId: product.id, product, authorId: author.id, rating, title: "…", body: "…", at });
    }
    await Promise.all([best, poor].map((p) => recountRatings(services.db, p.id)));

    const { guest, member, staff: isStaff } = await open(null);
    expect({ member, isStaff }).toEqual({ member: null, isStaff: false });
    const threads = guest!.latest.map((t) => t.id);
    expect(threads).toContain(visible.threadId);
    expect(threads).not.toContain(internal.threadId);
    const ideas = guest!.ideas.map((i) => i.title);
    expect(ideas.indexOf("Giao hàng buổi tối")).toBeLessThan(ideas.indexOf("Thêm màu cam"));
    expect(ideas).not.toContain("Declined but popular");
    expect(guest!.ideas.find((i) => i.id === popular)?.voteCount).toBe(4);
    const products = guest!.products.map((p) => p.slug);
    expect(products[0]).toBe(best.slug);
    expect(products).not.toContain(unrated.slug);
    expect(guest!.products.length).toBeLessThanOrEqual(4);
    // Named in both languages: the page shows the visitor's.
    expect(guest!.products[0]).toMatchObject({ nameVi: "Đèn pin siêu sáng", nameEn: "Bright torch", rating: { average: 5, count: 2 } });
    // Signed-in people get their own home, not the visitor's.
    expect((await open(members[0]!)).guest).toBeNull();
  });
});
