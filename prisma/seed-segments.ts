/**
 * Three saved segments for the demo (issue 18): the one the e2e and the issue describe, a
 * bilingual interest group with an OR, and a staff member's own list of regulars yet to review.
 */
import type { Db } from "../app/modules/services.server.ts";
import type { SegmentDefinition } from "../app/modules/segments/definition.ts";
import { createSegmentRow } from "../tests/factories/segments.ts";

const DAY = 24 * 60 * 60_000;

export async function seedSegments(db: Db, now: Date) {
  const author = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id;
  const phin = (await db.product.findUniqueOrThrow({ where: { slug: "phin-ca-phe" }, select: { id: true } })).id;
  const segments: { name: string; description: string; by: string; daysAgo: number; definition: SegmentDefinition }[] = [
    {
      name: "Loyal members who own the Phin coffee filter",
      description: "For the coffee tasting invitation and the member price on filters.",
      by: "admin@rapport.local",
      daysAgo: 6,
      definition: { match: "and", groups: [{ match: "and", conditions: [{ field: "stage", op: "in", values: ["loyal"] }, { field: "owns_product", op: "any", values: [phin] }] }] },
    },
    {
      name: "Khách hàng yêu cà phê",
      description: "Đã nói thích cà phê, hoặc đang dùng phin của chúng ta.",
      by: "staff1@rapport.local",
      daysAgo: 3,
      definition: {
        match: "and",
        groups: [
          {
            match: "or",
            conditions: [
              { field: "preference", key: "product_interests", op: "contains", value: "cà phê" },
              { field: "preference", key: "product_interests", op: "contains", value: "coffee" },
              { field: "owns_product", op: "any", values: [phin] },
            ],
          },
        ],
      },
    },
    {
      name: "Regulars who have not reviewed anything yet",
      description: "Maintain, strengthen or loyal, and no review from them: ask for one with the next order.",
      by: "staff1@rapport.local",
      daysAgo: 1,
      definition: {
        match: "and",
        groups: [{ match: "and", conditions: [{ field: "stage", op: "in", values: ["maintain", "strengthen", "loyal"] }, { field: "activity", activity: "reviewed", op: "has_not" }] }],
      },
    },
  ];
  for (const s of segments) {
    await createSegmentRow(db, { name: s.name, description: s.description, definition: s.definition, createdById: await author(s.by), at: new Date(now.getTime() - s.daysAgo * DAY) });
  }
}
