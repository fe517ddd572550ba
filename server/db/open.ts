/**
 * Opens the one database: embedded PGlite when DATABASE_URL is unset,
 * PostgreSQL otherwise. Both get the same migrations and the same SQL.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "../../app/generated/prisma/client.ts";
import { applyMigrations } from "./schema-engine.ts";

export type Db = PrismaClient;

export interface OpenDatabase {
  db: Db;
  kind: "pglite" | "postgres";
  /** Applied migration names, if any were pending. */
  applied: string[];
  /** Embedded only: a consistent gzipped tarball of the data folder, written to `target` (server/db/backup.ts). */
  backup?(target: string): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: "pglite"; dataDir: string | null } // null: in memory (tests)
  | { kind: "postgres"; url: string; poolSize?: number };

export async function openPGlite(dataDir: string | null) {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  return PGlite.create(dataDir ?? undefined, { extensions: { unaccent, pg_trgm } });
}

/**
 * A Prisma adapter factory for PGlite whose shadow database (what `diff`
 * replays the migrations into) loads the same extensions: the adapter's own
 * shadow is a bare PGlite, where the search migration's CREATE EXTENSION fails.
 */
export function pgliteAdapterFactory(pglite: PGlite): PrismaPGlite {
  const factory = new PrismaPGlite(pglite);
  factory.connectToShadowDb = async () => new PrismaPGlite(await openPGlite(null)).connect();
  return factory;
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it on every ";",
 * which breaks dollar-quoted function bodies (our append-only audit trigger)
 * and string literals. PostgreSQL's simple query protocol takes the whole
 * script at once, as Prisma's native engine sends it, so we do that instead.
 */
function wholeScriptMigrations(factory: PrismaPg): SqlMigrationAwareDriverAdapterFactory {
  const patch = (adapter: Awaited<ReturnType<PrismaPg["connect"]>>) => {
    adapter.executeScript = async (script: string) => {
      await adapter.underlyingDriver().query(script);
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}

/**
 * PGlite answers one query at a time and has no background writer, so a copy of its folder
 * taken between two queries (dumpDataDir holds the query lock) is what a crash at that instant
 * would leave: PostgreSQL's recovery brings it to the last commit. The checkpoint first keeps
 * that recovery short. Written beside the target and renamed: a half backup never has its name.
 */
async function dumpPGlite(pglite: PGlite, target: string) {
  await pglite.exec("CHECKPOINT");
  const tarball = await pglite.dumpDataDir("gzip");
  const partial = `${target}.partial`;
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(partial, Buffer.from(await tarball.arrayBuffer()));
  await rename(partial, target);
}

export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  if (target.kind === "pglite") {
    const pglite = await openPGlite(target.dataDir && path.join(target.dataDir, "pg"));
    const factory = new PrismaPGlite(pglite);
    const applied = await applyMigrations(factory);
    const db = new PrismaClient({ adapter: factory });
    return {
      db,
      kind: "pglite",
      applied,
      backup: (target) => dumpPGlite(pglite, target),
      async close() {
        if (pglite.closed) return;
        await db.$disconnect();
        await pglite.close();
      },
    };
  }
  // The engine does not release its adapter's pool, so we own the pool and end it.
  const migrationPool = new pg.Pool({ connectionString: target.url, max: 1 });
  let applied: string[];
  try {
    applied = await applyMigrations(wholeScriptMigrations(new PrismaPg(migrationPool)));
  } finally {
    await migrationPool.end();
  }
  const db = new PrismaClient({
    // pg-pool waits forever for a free connection by default: with more concurrent work than
    // slots (or a server that accepts no connection), a query fails after 5 s instead, which the
    // edge answers 503 (app/modules/availability).
    adapter: new PrismaPg({ connectionString: target.url, max: target.poolSize ?? 10, connectionTimeoutMillis: 5_000 }),
    // Under a burst, waiting a few seconds for a pooled connection beats failing
    // at Prisma's 2 s default: the chat bench showed sends refused while
    // PostgreSQL itself sat idle. Clients retry with the same client id anyway.
    transactionOptions: { maxWait: 5_000, timeout: 10_000 },
  });
  return {
    db,
    kind: "postgres",
    applied,
    async close() {
      // $disconnect is idempotent, so closing twice (tests, shutdown) is harmless.
      await db.$disconnect();
    },
  };
}
