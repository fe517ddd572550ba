/** The co-creation demo data: what the issue asks the seed to show. */
import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { seedDemoData } from "../../../prisma/seed.ts";
import { pictureSeededProducts } from "../../../prisma/seed-pictures.ts";
import { servicesForThisFile } from "../../support/services.ts";

const services = servicesForThisFile();

describe("the co-creation demo data", () => {
  it("has eight or more products with reviews across all star ratings, staff responses, and ideas in every status with a merged duplicate", async () => {
    expect(await seedDemoData(services.db)).toEqual({ created: true });
    const db = services.db;
    expect(await db.product.count({ where: { status: "active", reviews: { some: {} } } })).toBeGreaterThanOrEqual(8);
    const ratings = await db.productReview.groupBy({ by: ["rating"], _count: { _all: true } });
    expect(ratings.map((r) => r.rating).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await db.productReview.count({ where: { responseHtml: { not: null } } })).toBeGreaterThanOrEqual(3);
    expect(await db.productOwnership.count()).toBeGreaterThan(0);
    expect(await db.reviewReport.count({ where: { resolvedAt: null } })).toBeGreaterThan(0);
    for (const product of await db.product.findMany({ select: { id: true, reviewCount: true, ratingSum: true } })) {
      const agg = await db.productReview.aggregate({ where: { productId: product.id, hiddenAt: null }, _count: { _all: true }, _sum: { rating: true } });
      expect([product.reviewCount, product.ratingSum]).toEqual([agg._count._all, agg._sum.rating ?? 0]);
    }

    // Ideas in every status, one merged duplicate, and vote counts that match the votes.
    const statuses = await db.idea.groupBy({ by: ["status"], _count: { _all: true } });
    expect(statuses.map((s) => s.status).sort()).toEqual(["declined", "done", "duplicate", "in_progress", "open", "planned", "under_review"]);
    const merged = await db.idea.findMany({ where: { mergedIntoId: { not: null } }, select: { status: true, voteCount: true } });
    expect(merged).toEqual([{ status: "duplicate", voteCount: 0 }]);
    for (const idea of await db.idea.findMany({ select: { id: true, voteCount: true, commentCount: true } })) {
      expect(idea.voteCount).toBe(await db.ideaVote.count({ where: { ideaId: idea.id } }));
      expect(idea.commentCount).toBe(await db.ideaComment.count({ where: { ideaId: idea.id, deletedAt: null } }));
    }
    expect(await db.idea.count({ where: { status: "done", statusNoteHtml: { not: null } } })).toBeGreaterThan(0);
  });

  it("gives every demo product a small picture, uploaded as an admin would, once", async () => {
    const products = await services.db.product.count();
    expect(await pictureSeededProducts(services)).toBe(products);
    for (const { imageKey } of await services.db.product.findMany({ select: { imageKey: true } })) {
      const stored = await services.storage.get(imageKey!);
      expect(stored?.contentType).toBe("image/webp");
      expect(stored!.bytes.length).toBeLessThan(12_000);
      expect(await sharp(stored!.bytes).metadata()).toMatchObject({ format: "webp", width: 800, height: 600 });
    }
    expect(await pictureSeededProducts(services)).toBe(0);
  });
});
