/**
 * Real services for integration tests: a fresh in-memory PGlite per test
 * file, or a fresh PostgreSQL database when the "postgres" project runs.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { pino } from "pino";
import { openDatabase, type OpenDatabase } from "../../server/db/open.ts";
import { buildServices, type BuiltServices } from "../../server/services.ts";

export const usingPostgres = process.env.RAPPORT_TEST_DB === "postgres";

/** Connections each PostgreSQL test database gets (PGlite has one). */
export const TEST_POOL_SIZE = 4;

export interface TestDatabase {
  database: OpenDatabase;
  label: string;
  /** The PostgreSQL database's name (PostgreSQL project only). */
  name?: string;
  drop(): Promise<void>;
}

export interface ScratchPostgresDatabase {
  name: string;
  /** TEST_DATABASE_URL pointed at the new database. */
  url: string;
  drop(): Promise<void>;
}

/** An empty PostgreSQL database on TEST_DATABASE_URL's server, for tests that open it themselves (e.g. through startServer). */
export async function createScratchPostgresDatabase(): Promise<ScratchPostgresDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("RAPPORT_TEST_DB=postgres needs TEST_DATABASE_URL");
  const name = `rapport_test_${randomBytes(6).toString("hex")}`;
  await asAdmin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE: a test that failed midway may still hold connections.
    drop: () => asAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function asAdmin(adminUrl: string, sql: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!usingPostgres) {
    const database = await openDatabase({ kind: "pglite", dataDir: null });
    return { database, label: "pglite", drop: () => database.close() };
  }
  const scratch = await createScratchPostgresDatabase();
  const database = await openDatabase({ kind: "postgres", url: scratch.url, poolSize: TEST_POOL_SIZE });
  return {
    database,
    label: "postgres",
    name: scratch.name,
    async drop() {
      await database.close();
      await scratch.drop();
    },
  };
}

export const TEST_PUBLIC_URL = "http://localhost:3999";

export async function createTestServices(
  options: { publicUrl?: string; smtpUrl?: string } = {},
): Promise<BuiltServices & { dispose(): Promise<void> }> {
  const testDb = await createTestDatabase();
  const uploadsRoot = await mkdtemp(path.join(os.tmpdir(), "rapport-test-"));
  const services = await buildServices(
    {
      database: { kind: "pglite", dataDir: null }, // unused: the database is passed in
      smtpUrl: options.smtpUrl ?? null,
      mailFrom: "Rapport <no-reply@rapport.local>",
      publicUrl: options.publicUrl ?? TEST_PUBLIC_URL,
      secureCookies: false,
      isProduction: false,
      appSecret: "test-secret-test-secret-test-secret-0123",
      dataDir: uploadsRoot,
      uploadsDir: path.join(uploadsRoot, "uploads"),
    },
    pino({ level: "silent" }),
    testDb.database,
  );
  return Object.assign(services, {
    async dispose() {
      await services.close().catch(() => {});
      await testDb.drop();
      await rm(uploadsRoot, { recursive: true, force: true });
    },
  });
}

/** The newest kept mail to an address, and the first link in it, once the outbox has sent what was due. */
export async function lastMailTo(services: BuiltServices, to: string) {
  await services.dispatcher.drainNow();
  const mail = await services.db.mailMessage.findFirst({
    where: { to },
    orderBy: { createdAt: "desc" },
    select: { subject: true, text: true },
  });
  if (!mail) return null;
  const link = mail.text.match(/https?:\/\/\S+/)?.[0] ?? null;
  return { ...mail, link };
}

export type TestServices = BuiltServices & { dispose(): Promise<void> };

/**
 * One services object for a test file: opened before its tests, closed after.
 * With tickMs, every reading of the clock moves it forward, so rate limits
 * and orderings behave as if people took their time.
 */
export function servicesForThisFile(options: { tickMs?: number; smtpUrl?: string } = {}): TestServices {
  let current: TestServices | undefined;
  beforeAll(async () => {
    current = await createTestServices({ smtpUrl: options.smtpUrl });
    if (options.tickMs) {
      let now = new Date();
      current.clock = { now: () => (now = new Date(now.getTime() + options.tickMs!)) };
    }
  });
  afterAll(async () => {
    await current?.dispose();
  });
  return new Proxy({} as TestServices, {
    get: (_target, prop) => Reflect.get(current!, prop),
    set: (_target, prop, value) => Reflect.set(current!, prop, value),
  });
}
