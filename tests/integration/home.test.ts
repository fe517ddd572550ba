/**
 * The home page a signed-in person lands on: a member sees what is new in the
 * community, their account manager, their ideas and the products they have not
 * reviewed yet; staff see their work instead; a visitor sees the welcome.
 */
import { describe, expect, it } from "vitest";
import { loader as home } from "../../app/routes/_index.tsx";
import { createMember, createStaff } from "../factories/actors.ts";
import { createIdea, createProduct, createReview } from "../factories/co-creation.ts";
import { createCategory, createThread } from "../factories/forums.ts";
import { ORIGIN, routeAnswer, routeContext } from "../support/routes.ts";
import { servicesForThisFile } from "../support/services.ts";

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
});
