import { describe, expect, it } from "vitest";
import { openPGlite, pgliteAdapterFactory } from "../../../server/db/open.ts";
import { diffMigrationsToSchema, EMPTY_MIGRATION } from "../../../server/db/schema-engine.ts";
import { createTestDatabase, usingPostgres } from "../../support/services.ts";

describe("migrations", () => {
  it.skipIf(usingPostgres)("agree with schema.prisma (run `npm run db:new-migration -- <name>` if this fails)", async () => {
    const pglite = await openPGlite(null);
    try {
      expect(await diffMigrationsToSchema(pgliteAdapterFactory(pglite))).toBe(EMPTY_MIGRATION);
    } finally {
      await pglite.close();
    }
  });

  it("apply to a fresh database and are recorded in _prisma_migrations", async () => {
    const testDb = await createTestDatabase();
    try {
      expect(testDb.database.applied.length).toBeGreaterThan(0);
      const rows = await testDb.database.db.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`;
      expect(rows.map((r) => r.migration_name)).toEqual(testDb.database.applied);
    } finally {
      await testDb.drop();
    }
  });
});
