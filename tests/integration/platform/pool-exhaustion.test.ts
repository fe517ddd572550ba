import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../../app/modules/availability/database-errors.ts";
import { createTestDatabase, TEST_POOL_SIZE, usingPostgres, type TestDatabase } from "../../support/services.ts";

// PostgreSQL only: PGlite has no pool.
describe.skipIf(!usingPostgres)("more concurrent work than pooled connections", () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it("a query that finds every connection busy waits a bounded time, then fails as an outage (answered 503), never hangs", async () => {
    const { db } = testDb.database;
    // Every pooled connection held by a slow transaction.
    const holders = Array.from({ length: TEST_POOL_SIZE }, () =>
      db.$transaction(async (tx) => tx.$queryRaw`SELECT pg_sleep(9)::text AS slept`, { maxWait: 5_000, timeout: 20_000 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = Date.now();
    const error = await db.user.count().then(
      () => null,
      (e: unknown) => e,
    );
    const waited = Date.now() - started;
    expect(error, "the query should have failed, not waited for a connection").not.toBeNull();
    expect(isDatabaseUnavailable(error)).toBe(true);
    // Bounded by the pool's 5 s connection timeout (server/db/open.ts), not by the holders' 9 s.
    expect(waited).toBeLessThan(8_500);
    await Promise.all(holders);
    await expect(db.user.count()).resolves.toBeGreaterThanOrEqual(0);
  }, 60_000);
});
