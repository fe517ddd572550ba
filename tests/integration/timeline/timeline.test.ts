import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTimeline, recordTouchpoint } from "../../../app/modules/timeline/touchpoints.server.ts";
import { createUser } from "../../factories/users.ts";
import { createTestServices } from "../../support/services.ts";
import type { BuiltServices } from "../../../server/services.ts";

let services: BuiltServices & { dispose(): Promise<void> };
beforeAll(async () => {
  services = await createTestServices();
});
afterAll(async () => {
  await services.dispose();
});

describe("the timeline", () => {
  it("pages newest first without gaps or repeats, even when many touchpoints share a moment", async () => {
    const m = await createUser(services.db, { passwordHash: "x" });
    const base = Date.UTC(2026, 0, 1);
    await services.db.$transaction(async (tx) => {
      for (let i = 0; i < 120; i++) {
        // Forty moments, three touchpoints at each.
        const at = new Date(base + Math.floor(i / 3) * 60_000);
        await recordTouchpoint(tx, { memberId: m.id, kind: i % 2 ? "profile.updated" : "consent.changed", data: { i }, at });
      }
    });
    const seen: number[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page = await listTimeline(services.db, m.id, { before, limit: 25 });
      seen.push(...page.items.map((item) => (item.data as { i: number }).i));
      before = page.nextCursor;
      pages += 1;
    } while (before);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    // Newest moment first.
    expect(Math.floor(seen[0]! / 3)).toBe(39);
    expect(Math.floor(seen.at(-1)! / 3)).toBe(0);
  });

  it("filters by kind and only ever shows the member's own history", async () => {
    const m = await createUser(services.db, { passwordHash: "x" });
    const other = await createUser(services.db, { passwordHash: "x" });
    const at = new Date();
    await services.db.$transaction(async (tx) => {
      await recordTouchpoint(tx, { memberId: m.id, kind: "data.exported", at });
      await recordTouchpoint(tx, { memberId: m.id, kind: "consent.changed", at });
      await recordTouchpoint(tx, { memberId: other.id, kind: "data.exported", at });
    });
    const page = await listTimeline(services.db, m.id, { kinds: ["data.exported"] });
    expect(page.items.map((i) => i.kind)).toEqual(["data.exported"]);
    expect(page.nextCursor).toBeNull();
  });
});
