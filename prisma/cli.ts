/**
 * Database commands that work without Prisma's native engine:
 *   npm run db:migrate                 apply pending migrations to the configured database
 *   npm run db:new-migration -- <name> write a migration for the schema changes
 *   npm run db:seed                    add the demo data (idempotent)
 */
import { loadConfig } from "../server/config.ts";
import { openDatabase, openPGlite, pgliteAdapterFactory } from "../server/db/open.ts";
import { diffMigrationsToSchema, EMPTY_MIGRATION, writeMigration } from "../server/db/schema-engine.ts";
import { indexSeededDemo, seedDemoData } from "./seed.ts";
import { createSearchEngine } from "../app/modules/search/search.server.ts";
import { createLocalStorage } from "../app/modules/storage/local-storage.server.ts";
import { systemClock } from "../app/modules/services.server.ts";
import { pictureSeededProducts } from "./seed-pictures.ts";

const [command, ...args] = process.argv.slice(2);

async function main() {
  switch (command) {
    case "migrate": {
      const config = loadConfig();
      const opened = await openDatabase(config.database);
      console.log(
        opened.applied.length ? `Applied: ${opened.applied.join(", ")}` : "The database is up to date.",
      );
      await opened.close();
      return;
    }
    case "new-migration": {
      const name = args.join(" ").trim();
      if (!name) throw new Error("Give the migration a name: npm run db:new-migration -- add_threads");
      // Diff against a throwaway in-memory PGlite: it needs no server (docs/decisions/002).
      const pglite = await openPGlite(null);
      const sql = await diffMigrationsToSchema(pgliteAdapterFactory(pglite));
      await pglite.close();
      if (!sql || sql === EMPTY_MIGRATION) {
        console.log("The schema and the migrations agree; nothing to write.");
        return;
      }
      console.log(`Wrote ${await writeMigration(name, sql)}`);
      return;
    }
    case "seed": {
      const config = loadConfig();
      const opened = await openDatabase(config.database);
      const result = await seedDemoData(opened.db);
      // Searchable at once, not after the app's outbox has caught up.
      if (result.created) {
        await pictureSeededProducts({ db: opened.db, storage: createLocalStorage(config.uploadsDir), clock: systemClock });
        await indexSeededDemo({ db: opened.db, search: createSearchEngine(opened.db, config.meili) });
      }
      console.log(result.created ? "Demo data added and indexed for search." : "Demo data was already there.");
      await opened.close();
      return;
    }
    default:
      throw new Error(`Unknown command "${command ?? ""}". Use migrate, new-migration or seed.`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
