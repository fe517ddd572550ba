/**
 * Prisma's schema engine compiled to WASM. The native binary cannot be
 * downloaded on our machines, and the WASM build runs the same migrations
 * through a driver adapter (docs/decisions/002-migrations-through-wasm-engine.md).
 */
import { readFile, readdir, mkdir, writeFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine, MigrationList } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);
export const PRISMA_DIR = path.resolve(import.meta.dirname, "../../prisma");
export const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");

let wasmReady: Promise<typeof import("@prisma/schema-engine-wasm")> | undefined;

/** Node 20 cannot import a `.wasm` ES module, so we instantiate it by hand. */
function loadWasm() {
  wasmReady ??= (async () => {
    // The exports map hides the wasm glue; resolve the bg module and use its folder.
    const pkgDir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bg = await import(pathToFileURL(path.join(pkgDir, "schema_engine_bg.js")).href);
    const bytes = await readFile(path.join(pkgDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bg as typeof import("@prisma/schema-engine-wasm");
  })();
  return wasmReady;
}

export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  log: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  const wasm = await loadWasm();
  const schema = await readFile(SCHEMA_PATH, "utf8");
  return wasm.SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schema]] },
    (line: string) => log(line),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

export async function readMigrationList(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  const migrationDirectories = [];
  for (const name of names) {
    const full = path.join(dir, name);
    if (!(await stat(full)).isDirectory()) continue;
    const content = await readFile(path.join(full, "migration.sql"), "utf8");
    migrationDirectories.push({
      path: name,
      migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: content } },
    });
  }
  const lockPath = path.join(dir, "migration_lock.toml");
  const lock = await readFile(lockPath, "utf8").catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lock },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

const NO_FILTER = { externalTables: [], externalEnums: [] };

/** Applies pending migrations; idempotent. Returns the names it applied. */
export async function applyMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory) {
  const engine = await openSchemaEngine(adapterFactory);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await readMigrationList(),
      filters: NO_FILTER,
    });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * SQL that takes the database built by the migrations to the current schema.
 * Runs against a PGlite in memory (the engine replays migrations into its
 * "shadow database"); PostgreSQL's adapter cannot do this reliably.
 */
export async function diffMigrationsToSchema(adapterFactory: SqlMigrationAwareDriverAdapterFactory) {
  const engine = await openSchemaEngine(adapterFactory);
  try {
    const schema = await readFile(SCHEMA_PATH, "utf8");
    const migrations = await readMigrationList();
    const result = await engine.diff({
      // The engine refuses a migrations folder without its lock file, so the
      // very first migration is diffed from nothing.
      from: migrations.migrationDirectories.length
        ? { tag: "migrations", ...migrations }
        : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return (result.stdout ?? "").trim();
  } finally {
    engine.free();
  }
}

export const EMPTY_MIGRATION = "-- This is an empty migration.";

export async function writeMigration(name: string, sql: string, now = new Date()) {
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${slug}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), sql.endsWith("\n") ? sql : sql + "\n");
  const lockPath = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  await writeFile(
    lockPath,
    '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
  );
  return dir;
}
