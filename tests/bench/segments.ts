/**
 * Segments benchmark (issue 18): 100,000 members (BENCH_SEGMENT_MEMBERS) on a scratch PostgreSQL
 * database with tags, owned products, remembered preferences, current consent and touchpoints in
 * everyday proportions, then each representative segment's count and first members-table page
 * (25 rows, newest activity first) as an admin sees them, timed beside a plain indexed reference
 * query in the same run (`stage = 'loyal'`, count and the same page). The count and page are the
 * segment's own SQL (countSegment, segmentPageIds, then the 25 rows by id, as the editor's preview
 * reads them); "table" is the members table filtered by the saved segment (searchMembers: its count
 * and first page); "filter page" is the page through the Prisma filter (segmentMembersWhere) that
 * sending an announcement and issuing an offer AND into their own. Figures only, never pass/fail.
 * PostgreSQL only (the issue's goal is there): skipped with a message without BENCH_DATABASE_URL.
 */
import { openDatabase, type OpenDatabase } from "../../server/db/open.ts";
import type { Prisma } from "../../app/generated/prisma/client.ts";
import { countSegment, segmentMembersWhere, segmentPageIds } from "../../app/modules/segments/segments.server.ts";
import { parseMemberFilter, searchMembers } from "../../app/modules/console/members.server.ts";
import type { SearchEngine } from "../../app/modules/search/engine.ts";
import { createSegmentRow } from "../factories/segments.ts";
import type { SegmentDefinition } from "../../app/modules/segments/definition.ts";
import type { Actor } from "../../app/modules/policy/actor.ts";
import { percentile, positiveNumber, scratchPostgres } from "./support.ts";

const MEMBERS = positiveNumber("BENCH_SEGMENT_MEMBERS", 100_000);
const RUNS = positiveNumber("BENCH_RUNS", 50);
const PAGE = 25;

/**
 * Everything in SQL: generate_series batches, so the load times the database, not the client.
 * Members are m1…mN, staff0 (an admin) and staff1…staff20; the announcements bench loads the same.
 */
export async function seedMembers(db: OpenDatabase["db"], members = MEMBERS) {
  const sql = (text: string) => db.$executeRawUnsafe(text);
  // 20 account managers and an admin.
  await sql(`INSERT INTO "User" (id, email, "displayName", username, role, "updatedAt")
    SELECT 'staff' || g, 'staff' || g || '@bench.test', 'Staff ' || g, 'staff' || g, (CASE WHEN g = 0 THEN 'admin' ELSE 'staff' END)::"Role", now()
    FROM generate_series(0, 20) g`);
  await sql(`INSERT INTO "Product" (id, slug, "nameVi", "nameEn", "updatedAt") SELECT 'p' || g, 'p' || g, 'SP ' || g, 'Product ' || g, now() FROM generate_series(1, 50) g`);
  // Members: stages weighted to the middle, a skewed score, 70 % Vietnamese, most active this year.
  await sql(`INSERT INTO "User" (id, email, "displayName", username, role, locale, "accountManagerId", stage, "engagementScore", "lastActivityAt", "createdAt", "updatedAt")
    SELECT 'm' || g, 'm' || g || '@bench.test', 'Member ' || g, 'm' || g, 'member', CASE WHEN g % 10 < 7 THEN 'vi' ELSE 'en' END,
      CASE WHEN g % 50 = 0 THEN NULL ELSE 'staff' || (1 + g % 20) END,
      (ARRAY['attract','establish','build','build','develop','develop','develop','maintain','maintain','strengthen','loyal','loyal'])[1 + (g * 7) % 12]::"RelationshipStage",
      floor(power(((g * 2654435761::bigint) % 1000) / 1000.0, 3) * 90)::int,
      CASE WHEN g % 10 = 0 THEN NULL ELSE now() - ((g * 37) % 365 || ' days')::interval END,
      now() - ((g * 13) % 1100 || ' days')::interval, now()
    FROM generate_series(1, ${members}) g`);
  // Tags: a third of members have one, a tenth a second.
  await sql(`INSERT INTO "MemberTag" ("memberId", tag) SELECT 'm' || g, 'tag' || (g % 20) FROM generate_series(1, ${members}) g WHERE g % 3 = 0`);
  await sql(`INSERT INTO "MemberTag" ("memberId", tag) SELECT 'm' || g, 'vip' FROM generate_series(1, ${members}) g WHERE g % 10 = 1`);
  // Ownership: 60 % own one product, 30 % a second; product p1 (the Phin) is a bestseller.
  await sql(`INSERT INTO "ProductOwnership" ("productId", "memberId") SELECT 'p' || (1 + (g * 31) % 50), 'm' || g FROM generate_series(1, ${members}) g WHERE g % 10 < 6`);
  await sql(`INSERT INTO "ProductOwnership" ("productId", "memberId") SELECT 'p1', 'm' || g FROM generate_series(1, ${members}) g WHERE g % 10 IN (6, 7, 8) ON CONFLICT DO NOTHING`);
  // Preferences: interests for 40 %, a delivery window for 30 %, packaging for 20 %.
  await sql(`INSERT INTO "MemberPreference" (id, "memberId", key, value, source)
    SELECT 'pi' || g, 'm' || g, 'product_interests', (ARRAY['coffee, tea','running shoes','cà phê, ấm pha trà','rain jackets','camping'])[1 + g % 5], 'member'
    FROM generate_series(1, ${members}) g WHERE g % 5 < 2`);
  await sql(`INSERT INTO "MemberPreference" (id, "memberId", key, value, source)
    SELECT 'pd' || g, 'm' || g, 'delivery_window', (ARRAY['morning','afternoon','evening','weekend'])[1 + g % 4], 'staff' FROM generate_series(1, ${members}) g WHERE g % 10 < 3`);
  await sql(`INSERT INTO "MemberPreference" (id, "memberId", key, value, source)
    SELECT 'pp' || g, 'm' || g, 'packaging', (ARRAY['standard','minimal','gift','plastic_free'])[1 + g % 4], 'member' FROM generate_series(1, ${members}) g WHERE g % 5 = 4`);
  // Consent: the newsletter for half, offers for a third (some of them withdrawn).
  await sql(`INSERT INTO "MemberConsent" ("memberId", channel, granted, "updatedAt") SELECT 'm' || g, 'newsletter', g % 7 <> 0, now() FROM generate_series(1, ${members}) g WHERE g % 2 = 0`);
  await sql(`INSERT INTO "MemberConsent" ("memberId", channel, granted, "updatedAt") SELECT 'm' || g, 'offers', g % 5 <> 0, now() FROM generate_series(1, ${members}) g WHERE g % 3 = 0`);
  // Touchpoints: 8 per member over the last year, of the kinds segments read and others.
  await sql(`INSERT INTO "Touchpoint" (id, "memberId", kind, "occurredAt")
    SELECT 't' || g || '_' || k, 'm' || g,
      (ARRAY['forum.replied','forum.thread_started','review.written','idea.voted','chat.session','profile.updated','preference.set','product.owner_recorded','forum.reacted','idea.submitted'])[1 + (g + k * 3) % 10],
      now() - (((g * 11 + k * 47) % 365) || ' days')::interval
    FROM generate_series(1, ${members}) g, generate_series(1, 8) k`);
  // VACUUM as well as ANALYZE: a live database's autovacuum keeps the visibility map current, which
  // index-only scans need; right after a bulk load it is empty.
  for (const table of ["User", "MemberTag", "ProductOwnership", "MemberPreference", "MemberConsent", "Touchpoint"]) await sql(`VACUUM ANALYZE "${table}"`);
}

const DEFINITIONS: Record<string, SegmentDefinition> = {
  "loyal AND owns the Phin": {
    match: "and",
    groups: [{ match: "and", conditions: [{ field: "stage", op: "in", values: ["loyal"] }, { field: "owns_product", op: "any", values: ["p1"] }] }],
  },
  "(likes coffee OR #vip) AND newsletter consent": {
    match: "and",
    groups: [
      { match: "or", conditions: [{ field: "preference", key: "product_interests", op: "contains", value: "coffee" }, { field: "tag", op: "any", values: ["vip"] }] },
      { match: "and", conditions: [{ field: "consent", channel: "newsletter", granted: true }] },
    ],
  },
  "engaged, no post in 30 days, reviewed in 90": {
    match: "and",
    groups: [
      {
        match: "and",
        conditions: [
          { field: "engagement_band", values: ["medium", "high"] },
          { field: "activity", activity: "posted", op: "has_not", days: 30 },
          { field: "activity", activity: "reviewed", op: "has", days: 90 },
        ],
      },
    ],
  },
  "English, joined since 2025, 3 managers, not #tag3": {
    match: "and",
    groups: [
      {
        match: "and",
        conditions: [
          { field: "language", values: ["en"] },
          { field: "member_since", op: "after", date: "2025-01-01" },
          { field: "manager", op: "in", values: ["staff8", "staff9", "staff10"] },
          { field: "tag", op: "none", values: ["tag3"] },
        ],
      },
    ],
  },
};

async function time(fn: () => Promise<unknown>) {
  await fn(); // warm the plan and the cache
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

export async function runSegmentsBench() {
  const scratch = await scratchPostgres(process.env.BENCH_DATABASE_URL, "_segments", process.env.BENCH_DB_PREFIX ?? "rapport_bench_");
  if (!scratch) {
    console.log("\nSegments bench skipped: set BENCH_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres); it runs on PostgreSQL only.");
    return;
  }
  const opened = await openDatabase({ kind: "postgres", url: scratch.url, poolSize: 4 });
  try {
    const db = opened.db;
    const started = Date.now();
    await seedMembers(db);
    const counts = await db.$queryRawUnsafe<{ t: string; n: bigint }[]>(
      `SELECT 'touchpoints' t, count(*) n FROM "Touchpoint" UNION ALL SELECT 'ownership', count(*) FROM "ProductOwnership" UNION ALL SELECT 'preferences', count(*) FROM "MemberPreference" UNION ALL SELECT 'tags', count(*) FROM "MemberTag" UNION ALL SELECT 'consents', count(*) FROM "MemberConsent"`,
    );
    console.log(`\nSegments on PostgreSQL: ${MEMBERS.toLocaleString("en")} members, ${counts.map((c) => `${Number(c.n).toLocaleString("en")} ${c.t}`).join(", ")} (loaded in ${((Date.now() - started) / 1000).toFixed(1)} s); ${RUNS} runs each, as an admin (every member in scope)`);
    const services = { db, realtime: null as never, clock: { now: () => new Date() } };
    const admin: Actor = { id: "staff0", role: "admin" };
    const select = { id: true, displayName: true, stage: true, engagementScore: true } as const;
    const page = (where: Prisma.UserWhereInput) => db.user.findMany({ where, orderBy: [{ lastActivityAt: { sort: "desc", nulls: "last" } }, { id: "asc" }], take: PAGE, select });
    const sqlPage = async (definition: SegmentDefinition) => {
      const ids = await segmentPageIds(services, admin, definition, "activity", PAGE);
      const rows = await db.user.findMany({ where: { id: { in: ids } }, select });
      return ids.map((id) => rows.find((r) => r.id === id));
    };
    const reference: Prisma.UserWhereInput = { deletedAt: null, role: { in: ["member", "moderator"] }, stage: "loyal" };
    const refCount = await time(() => db.user.count({ where: reference }));
    const refPage = await time(() => page(reference));
    // The members table, as an admin opens it: its count and first page, newest activity first.
    const tableServices = { ...services, search: null as unknown as SearchEngine };
    const table = (query: string) => searchMembers(tableServices, admin, parseMemberFilter(new URLSearchParams(`manager=all&${query}`)));
    const refTable = await time(() => table("stage=loyal"));
    const rows: Record<string, Record<string, string>> = {
      "reference: stage = loyal": {
        matches: String(await db.user.count({ where: reference })), "count p50": ms(refCount.p50), "count p95": ms(refCount.p95), "page p50": ms(refPage.p50), "page p95": ms(refPage.p95),
        "count p95 ×ref": "1.0", "page p95 ×ref": "1.0", "table p95": ms(refTable.p95), "table ×ref": "1.0", "filter page p95": ms(refPage.p95), "filter ×ref": "1.0",
      },
    };
    for (const [name, definition] of Object.entries(DEFINITIONS)) {
      const where = await segmentMembersWhere(services, admin, definition);
      const count = await time(() => countSegment(services, admin, definition));
      const first = await time(() => sqlPage(definition));
      const filtered = await time(() => page(where));
      const saved = await createSegmentRow(db, { name, definition, createdById: admin.id });
      const tabled = await time(() => table(`segment=${saved.id}`));
      rows[name] = {
        matches: String(await countSegment(services, admin, definition)),
        "count p50": ms(count.p50),
        "count p95": ms(count.p95),
        "page p50": ms(first.p50),
        "page p95": ms(first.p95),
        "count p95 ×ref": (count.p95 / refCount.p95).toFixed(1),
        "page p95 ×ref": (first.p95 / refPage.p95).toFixed(1),
        "table p95": ms(tabled.p95),
        "table ×ref": (tabled.p95 / refTable.p95).toFixed(1),
        "filter page p95": ms(filtered.p95),
        "filter ×ref": (filtered.p95 / refPage.p95).toFixed(1),
      };
    }
    console.table(rows);
  } finally {
    await opened.close();
    if (process.env.BENCH_KEEP_DB) console.log(`  kept the database for EXPLAIN: ${scratch.url}`);
    else await scratch.drop();
  }
}

const ms = (n: number) => n.toFixed(1);

if (import.meta.url === `file://${process.argv[1]}` && !process.argv[1]?.endsWith("run.ts")) {
  runSegmentsBench().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
