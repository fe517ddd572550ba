/**
 * Timeline benchmark: one member with 100,000 touchpoints (BENCH_TOUCHPOINTS),
 * then the first page, a page deep in the history (by cursor) and a filtered
 * page, timed over repeated runs. Prints figures; never fails on a threshold.
 * Runs on embedded PGlite, and on PostgreSQL too when BENCH_DATABASE_URL is set.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type OpenDatabase } from "../../server/db/open.ts";
import { listTimeline } from "../../app/modules/timeline/touchpoints.server.ts";
import { createUser } from "../factories/users.ts";

const COUNT = Number(process.env.BENCH_TOUCHPOINTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(runs: number, fn: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), mean: samples.reduce((a, b) => a + b, 0) / runs };
}

async function benchOn(label: string, opened: OpenDatabase) {
  const db = opened.db;
  const member = await createUser(db, { passwordHash: "x", displayName: "Bench Member" });
  const started = Date.now();
  // Generated in SQL: 100k rows through the client would time the client, not the query.
  await db.$executeRawUnsafe(`
    INSERT INTO "Touchpoint" ("id", "memberId", "kind", "data", "occurredAt")
    SELECT lpad(to_hex(g), 12, '0') || md5(g::text), '${member.id}',
           (ARRAY['profile.updated','preference.set','consent.changed','preference.changed','data.exported'])[1 + g % 5],
           '{}'::jsonb, now() - (g || ' minutes')::interval
    FROM generate_series(1, ${COUNT}) AS g`);
  await db.$executeRawUnsafe(`ANALYZE "Touchpoint"`);
  const loadMs = Date.now() - started;

  let cursor: string | null = null;
  let page = await listTimeline(db, member.id, { limit: 50 });
  for (let i = 0; i < Math.floor(COUNT / 2 / 50) && page.nextCursor; i++) {
    cursor = page.nextCursor;
    page = await listTimeline(db, member.id, { limit: 50, before: cursor });
  }
  const deepCursor = cursor;

  const first = await time(RUNS, () => listTimeline(db, member.id, { limit: 50 }));
  const deep = await time(RUNS, () => listTimeline(db, member.id, { limit: 50, before: deepCursor }));
  const filtered = await time(RUNS, () => listTimeline(db, member.id, { limit: 50, kinds: ["consent.changed"] }));
  const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
    `EXPLAIN SELECT "id" FROM "Touchpoint" WHERE "memberId" = '${member.id}' ORDER BY "occurredAt" DESC, "id" DESC LIMIT 51`,
  );
  const usesIndex = plan.some((row) => /Index/.test(row["QUERY PLAN"]));

  console.log(`\nTimeline on ${label}: ${COUNT.toLocaleString("en")} touchpoints for one member (inserted in ${loadMs} ms)`);
  console.table({
    "first page (50)": fmt(first),
    "page at the middle, by cursor": fmt(deep),
    "filtered by kind": fmt(filtered),
  });
  console.log(`  query plan uses an index: ${usesIndex ? "yes" : "NO"} (${plan[0]?.["QUERY PLAN"]})`);
}

function fmt(r: { p50: number; p99: number; mean: number }) {
  return { "p50 ms": r.p50.toFixed(2), "p99 ms": r.p99.toFixed(2), "mean ms": r.mean.toFixed(2) };
}

export async function runTimelineBench() {
  const pglite = await openDatabase({ kind: "pglite", dataDir: null });
  try {
    await benchOn("PGlite (embedded)", pglite);
  } finally {
    await pglite.close();
  }
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    console.log("\n(PostgreSQL timeline run skipped: set BENCH_DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres)");
    return;
  }
  const name = `rapport_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const opened = await openDatabase({ kind: "postgres", url: target.toString(), poolSize: 2 });
  try {
    await benchOn("PostgreSQL", opened);
  } finally {
    await opened.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}` && !process.argv[1]?.endsWith("run.ts")) {
  runTimelineBench().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
