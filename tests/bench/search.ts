/**
 * Search benchmark: 100,000 generated Vietnamese and English documents
 * (BENCH_SEARCH_DOCS) indexed through the PostgreSQL engine (throughput),
 * (a long-tailed vocabulary plus topical phrases a customer community
 * repeats), then p50/p95/p99 of 20 fixed queries (typed without diacritics, with
 * typos, as prefixes, with tones, English, phrases) as a member sees them.
 * Prints figures; never fails. PGlite always; PostgreSQL with BENCH_DATABASE_URL.
 * The target (issue 8) is p95 under 50 ms on the embedded default.
 */
import { openDatabase, type OpenDatabase } from "../../server/db/open.ts";
import { createPostgresSearchEngine } from "../../app/modules/search/postgres-engine.server.ts";
import type { SearchDocument, SearchKind, SearchViewer } from "../../app/modules/search/engine.ts";
import { percentile, positiveNumber, scratchPostgres } from "./support.ts";

const COUNT = positiveNumber("BENCH_SEARCH_DOCS", 100_000);
const RUNS = positiveNumber("BENCH_SEARCH_RUNS", 10);

const VI = [
  "khách hàng", "giao hàng", "bảo hành", "sản phẩm", "máy pha cà phê", "chăm sóc", "Đà Nẵng", "Hà Nội",
  "thành phố Hồ Chí Minh", "đổi trả", "thanh toán", "khuyến mãi", "chất lượng", "dịch vụ", "nhân viên", "cửa hàng",
  "giá cả", "tiện lợi", "nhanh chóng", "đóng gói", "hài lòng", "phản hồi", "đặt hàng", "vận chuyển", "miễn phí",
  "bình giữ nhiệt", "áo mưa", "đèn cắm trại", "ba lô", "pin sạc", "màu sắc", "kích thước", "chống nước", "bền bỉ",
  "con dế", "con dê", "mùa hè", "ngày mai", "tuần trước", "rất tốt", "hơi chậm", "cần cải thiện", "gợi ý", "ý tưởng",
];
const EN = [
  "warranty", "delivery", "customer", "service", "coffee", "grinder", "battery", "lantern", "backpack", "waterproof",
  "refund", "exchange", "quality", "support", "shipping", "discount", "order", "payment", "account", "subscription",
  "excellent", "broken", "replacement", "instructions", "assembly", "recommend", "feature", "request", "roadmap", "feedback",
  "the", "and", "with", "after", "before", "really", "quickly", "slowly", "great", "problem",
];

/** A small deterministic generator: the same corpus every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const KINDS: SearchKind[] = ["thread", "post", "post", "post", "idea", "review", "review", "product"];

const ONSETS = ["b", "c", "ch", "d", "đ", "g", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"];
const RIMES = ["a", "à", "á", "ai", "an", "ang", "anh", "ao", "ắc", "âm", "ân", "ập", "e", "ê", "ên", "i", "in", "inh", "o", "ô", "ông", "ơi", "u", "ư", "ươn", "uy", "ượng", "iệt", "oan", "uốc"];
const LETTERS = "abcdefghiklmnoprstuvwy";

/**
 * A vocabulary with a long tail, as real writing has: 6,000 Vietnamese
 * two-syllable words and 4,000 English-like words, drawn with a Zipf-like
 * skew, plus the topical phrases above at about one word in ten.
 */
function vocabulary(rnd: () => number) {
  const pick = <T,>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
  const syllable = () => pick(ONSETS) + pick(RIMES);
  const vi = Array.from({ length: 6_000 }, () => `${syllable()} ${syllable()}`);
  const en = Array.from({ length: 4_000 }, () => Array.from({ length: 4 + Math.floor(rnd() * 6) }, () => LETTERS[Math.floor(rnd() * LETTERS.length)]).join(""));
  return { vi, en };
}

export function generate(count: number): SearchDocument[] {
  const rnd = random(42);
  const vocab = vocabulary(rnd);
  const pick = <T,>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
  const zipf = <T,>(list: T[]) => list[Math.floor(list.length * rnd() ** 3)]!;
  const words = (n: number, topical: string[], tail: string[]) =>
    Array.from({ length: n }, () => (rnd() < 0.1 ? pick(topical) : zipf(tail))).join(" ");
  const start = Date.UTC(2024, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    const vietnamese = rnd() < 0.6;
    const [topical, tail] = vietnamese ? [VI, vocab.vi] : [EN, vocab.en];
    const kind = i % 20 === 0 ? "member" : pick(KINDS);
    const title = words(3 + Math.floor(rnd() * 4), topical, tail);
    const body = words(15 + Math.floor(rnd() * 30), topical, tail);
    return {
      kind,
      sourceId: `b${i.toString(36).padStart(6, "0")}`,
      url: `/bench/${i}`,
      title: title.charAt(0).toUpperCase() + title.slice(1),
      body,
      productId: `p${i % 50}`,
      categoryId: `c${i % 8}`,
      status: null,
      visibility: kind === "member" ? "member" : i % 50 === 1 ? "staff" : "public",
      ownerId: kind === "member" ? `s${i % 5}` : null,
      createdAt: new Date(start + i * 60_000),
    } satisfies SearchDocument;
  });
}

/** 20 fixed queries: as people type them, without tones, with typos, half-typed. */
export const BENCH_QUERIES = [
  "khach hang", "giao hang nhanh", "bao hanh", "may pha ca phe", "da nang", // no diacritics
  "khách hàng", "con dế", "đổi trả miễn phí", // with tones
  "warrenty", "custmer service", "delivry", "replacment", // typos
  "kha", "bảo h", "subscr", "chăm s", // prefixes as you type
  "waterproof backpack", "refund payment", // English
  '"thanh toan" tien loi', "ba lo chong nuoc", // phrase, several syllables
];

async function benchOn(label: string, opened: OpenDatabase) {
  const engine = createPostgresSearchEngine(opened.db);
  const docs = generate(COUNT);
  const started = performance.now();
  const chunk = 2_000;
  for (let i = 0; i < docs.length; i += chunk) {
    await engine.index(docs.slice(i, i + chunk));
    if (process.stderr.isTTY) process.stderr.write(`\r  indexing ${label}: ${Math.min(i + chunk, docs.length)}/${docs.length}`);
  }
  if (process.stderr.isTTY) process.stderr.write("\n");
  const indexMs = performance.now() - started;
  await opened.db.$executeRawUnsafe(`ANALYZE "SearchDocument"`);
  await opened.db.$executeRawUnsafe(`ANALYZE "SearchTerm"`);

  const viewer: SearchViewer = { role: "member", managerIds: [] };
  const all: number[] = [];
  const perQuery: Record<string, { "p50 ms": string; "p95 ms": string; matches: string }> = {};
  for (const q of BENCH_QUERIES) await engine.search({ q, offset: 0, limit: 20 }, viewer); // warm-up
  for (const q of BENCH_QUERIES) {
    const samples: number[] = [];
    let total = 0;
    let capped = false;
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      const result = await engine.search({ q, offset: 0, limit: 20 }, viewer);
      samples.push(performance.now() - t);
      total = result.total;
      capped = result.capped;
    }
    samples.sort((a, b) => a - b);
    all.push(...samples);
    perQuery[q] = { "p50 ms": percentile(samples, 50).toFixed(1), "p95 ms": percentile(samples, 95).toFixed(1), matches: `${total}${capped ? "+" : ""}` };
  }
  all.sort((a, b) => a - b);
  console.log(`\nSearch on ${label}: ${COUNT.toLocaleString("en")} documents`);
  console.log(`  indexing: ${(indexMs / 1000).toFixed(1)} s, ${Math.round(COUNT / (indexMs / 1000)).toLocaleString("en")} documents/s (engine.index, batches of 2,000)`);
  console.table(perQuery);
  console.log(
    `  all ${all.length} searches: p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms (target p95 < 50 ms)`,
  );
}

export async function runSearchBench() {
  const pglite = await openDatabase({ kind: "pglite", dataDir: null });
  try {
    await benchOn("PGlite (embedded)", pglite);
  } finally {
    await pglite.close();
  }
  const scratch = await scratchPostgres(process.env.BENCH_DATABASE_URL, "_search");
  if (!scratch) {
    console.log("\n(PostgreSQL search run skipped: set BENCH_DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres)");
    return;
  }
  const opened = await openDatabase({ kind: "postgres", url: scratch.url, poolSize: 2 });
  try {
    await benchOn("PostgreSQL", opened);
  } finally {
    await opened.close();
    await scratch.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}` && !process.argv[1]?.endsWith("run.ts")) {
  runSearchBench().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
