/**
 * Chaos run (`npm run bench -- chaos`): the production server on a scratch PostgreSQL database,
 * under steady HTTP reads and writes (forum replies, reviews, idea votes, profile saves) and chat
 * sends from socket.io clients that resend a refused or unanswered message with the same client
 * id, while what it depends on fails one after the other:
 *   1. PostgreSQL restarts (the command in CHAOS_PG_RESTART; skipped when unset);
 *   2. every pooled connection is held (requests wait on a table lock the run takes): more work
 *      than pool slots;
 *   3. the SMTP server stops, then comes back; then it hangs (accepts, never answers) and the
 *      outbox must keep delivering its other events;
 *   4. DATA_DIR/uploads turns read-only, and an avatar is uploaded;
 *   5. the app is SIGKILLed and started again, as a supervisor would;
 *   6. Meilisearch goes away and comes back (only with MEILI_URL; through a proxy the run cuts).
 * Each prints its figures and PASS/FAIL lines; a FAIL makes `npm run bench` exit 1. Writes are
 * checked against the database: everything acknowledged is there, nothing twice.
 *
 *   BENCH_DATABASE_URL  a PostgreSQL server (required; without it the run is skipped): the app runs
 *                       on a scratch database there (chaos_rapport_<pid>), dropped afterwards
 *   CHAOS_PG_RESTART    a shell command that restarts that server, e.g.
 *                       `pg_ctlcluster --skip-systemctl-redirect 15 main restart`
 *   CHAOS_PORT          the app's port, and the SMTP sink's and Meilisearch proxy's next to it
 *                       (default: free ports)
 *   CHAOS_POOL_SIZE     the app's DATABASE_POOL_SIZE (default 4)
 *   CHAOS_HOLD_SECONDS  how long scenario 2 holds every pooled connection (default 8)
 *   MEILI_URL/MEILI_KEY a Meilisearch server: the app searches there, and scenario 6 runs
 *   CHAOS_SCENARIOS     which scenarios to run, e.g. "3,4" (default all)
 */
import { exec, type ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import pg from "pg";
import sharp from "sharp";
import { en } from "../../app/i18n/en.ts";
import { vi } from "../../app/i18n/vi.ts";
import { testSmtp, type TestSmtp } from "../support/smtp.ts";
import { CHAT_ROWS_SQL, ChatClient, sleep, tallyStored, until, type Row } from "./chat-client.ts";
import {
  buildIfMissing,
  check,
  freePort,
  guardChildren,
  logInCookie,
  positiveNumber,
  scratchPostgres,
  startProductionServer,
  stopChild,
  waitFor,
  type RunningApp,
} from "./support.ts";

const run = promisify(exec);
const POOL_SIZE = Math.round(positiveNumber("CHAOS_POOL_SIZE", 4));
const HOLD_SECONDS = positiveNumber("CHAOS_HOLD_SECONDS", 8);
/** A request without an answer this long counts as hung. */
const REQUEST_TIMEOUT_MS = 30_000;
/** /healthz must be 200 again within this many seconds of PostgreSQL answering (issue 16). */
const HEALTHY_WITHIN_S = 5;
const CHATTERS = 12;
/** Scenario 3: how long the mail server hangs, and how long the outbox may stand still meanwhile. */
const HANG_SECONDS = 25;
const OUTBOX_STALL_S = 15;
const SCENARIOS = new Set((process.env.CHAOS_SCENARIOS || "1,2,3,4,5,6").split(",").map((n) => Number(n.trim())));

/** A scenario left out by CHAOS_SCENARIOS says so. */
function skipped(scenario: number) {
  if (SCENARIOS.has(scenario)) return false;
  console.log("    SKIPPED: not in CHAOS_SCENARIOS");
  return true;
}
const CHAT_INTERVAL_MS = 3_000;

// ---------------------------------------------------------------------------
// Traffic: every request's outcome, with its time.

interface Outcome {
  at: number;
  end: number;
  kind: string;
  status: number;
  retryAfter: boolean;
  error?: string;
}

type Answer = { status: number; body: string } | null;

class Traffic {
  readonly outcomes: Outcome[] = [];
  inFlightWrites = 0;
  constructor(readonly base: string) {}

  async send(kind: string, pathname: string, init: RequestInit = {}): Promise<Answer> {
    const at = performance.now();
    const write = init.method === "POST";
    if (write) this.inFlightWrites += 1;
    try {
      const response = await fetch(this.base + pathname, {
        redirect: "manual",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        ...init,
        headers: { origin: this.base, ...(init.headers as Record<string, string>) },
      });
      const body = await response.text();
      this.outcomes.push({ at, end: performance.now(), kind, status: response.status, retryAfter: response.headers.has("retry-after") });
      return { status: response.status, body };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const reason = (error as Error).name === "TimeoutError" ? `no answer in ${REQUEST_TIMEOUT_MS / 1000} s` : (cause ?? (error as Error).message);
      this.outcomes.push({ at, end: performance.now(), kind, status: 0, retryAfter: false, error: reason });
      return null;
    } finally {
      if (write) this.inFlightWrites -= 1;
    }
  }

  /** Requests that were open at some point between `from` and `to`. */
  between(from: number, to: number) {
    return this.outcomes.filter((o) => o.end >= from && o.at <= to);
  }
}

/** Failed requests by how they failed: an outage answered as promised (503 with Retry-After), or not. */
function failures(outcomes: Outcome[]) {
  const tally = { total: outcomes.length, ok: 0, refused4xx: 0, clean503: 0, bare503: 0, status5xx: 0, network: 0, hung: 0, worstMs: 0 };
  const examples: string[] = [];
  const refused = new Map<string, number>();
  for (const o of outcomes) {
    tally.worstMs = Math.max(tally.worstMs, o.end - o.at);
    if (o.status >= 200 && o.status < 400) tally.ok += 1;
    // 507 is the answer an upload must get while the disk refuses it: a refusal, like a 4xx.
    else if ((o.status >= 400 && o.status < 500) || o.status === 507) {
      tally.refused4xx += 1;
      refused.set(`${o.kind} ${o.status}`, (refused.get(`${o.kind} ${o.status}`) ?? 0) + 1);
    }
    else if (o.status === 503 && o.retryAfter) tally.clean503 += 1;
    else {
      if (o.status === 503) tally.bare503 += 1;
      else if (o.status >= 500) tally.status5xx += 1;
      else if (o.error?.startsWith("no answer")) tally.hung += 1;
      else tally.network += 1;
      if (examples.length < 3) examples.push(`${o.kind}: ${o.status || o.error}`);
    }
  }
  return { ...tally, bad: tally.bare503 + tally.status5xx + tally.network + tally.hung, examples, refused: [...refused].map(([k, n]) => `${k} ×${n}`).join(", ") };
}

const describeFailures = (f: ReturnType<typeof failures>) =>
  `${f.total} requests: ${f.ok} answered, ${f.refused4xx} refused${f.refused ? ` (${f.refused})` : ""}, ${f.clean503} 503 with Retry-After, ${f.bare503} 503 without it, ` +
  `${f.status5xx} other 5xx, ${f.network} connection errors, ${f.hung} without an answer; slowest ${(f.worstMs / 1000).toFixed(1)} s` +
  (f.examples.length ? ` (e.g. ${f.examples.join("; ")})` : "");

// ---------------------------------------------------------------------------
// The database, read by the run itself (a fresh connection each time: PostgreSQL may restart).

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end().catch(() => {});
  }
}

/** Polls /healthz until it says 200; the time it took in seconds, or null. */
async function healthyWithin(base: string, timeoutMs: number) {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if ((await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(3_000) }).then((r) => r.status, () => 0)) === 200) return (performance.now() - started) / 1000;
    await sleep(100);
  }
  return null;
}

async function answersWithin(url: string, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      await query(url, "SELECT 1");
      return true;
    } catch {
      await sleep(100);
    }
  }
  return false;
}

interface Member {
  id: string;
  label: string;
  email: string;
  cookie: string;
  profile: Record<string, string>;
}

interface Write {
  kind: "reply" | "review" | "vote" | "profile";
  memberId: string;
  /** What identifies it in the database: a reply's body, a review's title, `ideaId/userId`, a bio. */
  key: string;
  startedAt: number;
  ackedAt: number | null;
}

const WRITE_KINDS = ["reply", "review", "vote", "profile"] as const;

/**
 * Every write acknowledged before `before` (performance.now(); the rows are read after it) against
 * the database: missing, and stored more than once. A profile save counts as kept when the stored
 * bio is the last acknowledged one or one sent after it.
 */
async function verifyWrites(url: string, tag: string, writes: Write[], chat: ChatClient[], before: number) {
  const like = `Chaos ${tag} %`;
  const counted = new Map<string, number>();
  const add = (rows: { key: string; n: number }[]) => rows.forEach((r) => counted.set(r.key, r.n));
  add(await query(url, `SELECT "bodyMarkdown" AS key, count(*)::int AS n FROM "ForumPost" WHERE "bodyMarkdown" LIKE $1 GROUP BY 1`, [like]));
  add(await query(url, `SELECT "title" AS key, count(*)::int AS n FROM "ProductReview" WHERE "title" LIKE $1 GROUP BY 1`, [like]));
  const memberIds = [...new Set(writes.map((w) => w.memberId))];
  add(await query(url, `SELECT "ideaId" || '/' || "userId" AS key, count(*)::int AS n FROM "IdeaVote" WHERE "userId" = ANY($1) GROUP BY 1`, [memberIds]));
  const bios = new Map((await query<{ id: string; bio: string | null }>(url, `SELECT "id", "bio" FROM "User" WHERE "id" = ANY($1)`, [memberIds])).map((r) => [r.id, r.bio]));
  const chatRows = await query<Row>(url, CHAT_ROWS_SQL);

  const byKind = Object.fromEntries(WRITE_KINDS.map((k) => [k, { acked: 0, missing: 0, twice: 0 }])) as Record<Write["kind"], { acked: number; missing: number; twice: number }>;
  for (const write of writes) {
    if (write.kind === "profile" || write.ackedAt === null || write.ackedAt >= before) continue;
    const n = counted.get(write.key) ?? 0;
    byKind[write.kind].acked += 1;
    if (n === 0) byKind[write.kind].missing += 1;
  }
  // Rows stored twice, acknowledged or not: no write is ever sent twice, so any is a duplicate.
  const ours = new Set(writes.map((w) => w.key));
  for (const write of writes) if (write.kind !== "profile" && ours.delete(write.key) && (counted.get(write.key) ?? 0) > 1) byKind[write.kind].twice += 1;
  for (const memberId of new Set(writes.filter((w) => w.kind === "profile").map((w) => w.memberId))) {
    const saves = writes.filter((w) => w.kind === "profile" && w.memberId === memberId);
    const last = saves.findLastIndex((w) => w.ackedAt !== null && w.ackedAt < before);
    if (last < 0) continue;
    byKind.profile.acked += 1;
    if (!saves.slice(last).some((w) => w.key === bios.get(memberId))) byKind.profile.missing += 1;
  }
  const chatTally = tallyStored(chat, chatRows, before);
  const missing = WRITE_KINDS.reduce((n, k) => n + byKind[k].missing, 0) + chatTally.missing + chatTally.wrongSeq;
  const twice = WRITE_KINDS.reduce((n, k) => n + byKind[k].twice, 0) + chatTally.twice + chatTally.duplicateRows;
  const line =
    `replies ${byKind.reply.acked} acked (${byKind.reply.missing} missing, ${byKind.reply.twice} twice), ` +
    `reviews ${byKind.review.acked} (${byKind.review.missing}, ${byKind.review.twice}), votes ${byKind.vote.acked} (${byKind.vote.missing}, ${byKind.vote.twice}), ` +
    `profiles saved by ${byKind.profile.acked} members (${byKind.profile.missing} without their last acked save), ` +
    `chat ${chatTally.acked} acked (${chatTally.missing} missing, ${chatTally.wrongSeq} under another seq, ${chatTally.twice + chatTally.duplicateRows} twice)`;
  return { missing, twice, line };
}

/** A TCP proxy to Meilisearch that the run can cut (scenario 6): down refuses and drops connections. */
async function cuttableProxy(target: URL, port: number) {
  const open = new Set<net.Socket>();
  let server: net.Server | null = null;
  const up = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 80), target.hostname);
      for (const s of [client, upstream]) {
        open.add(s);
        s.on("error", () => {});
        s.on("close", () => (open.delete(s), client.destroy(), upstream.destroy()));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
  };
  const down = async () => {
    const closing = server;
    server = null;
    open.forEach((s) => s.destroy());
    if (closing) await new Promise((resolve) => closing.close(resolve));
  };
  await up();
  return { url: `http://127.0.0.1:${port}`, up, down };
}

/** Every file under a folder, as relative paths. */
async function filesUnder(dir: string) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return new Set(entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))));
}

/**
 * Makes a folder refuse writes: chmod for an ordinary user; as root (whom chmod does not stop),
 * a read-only bind mount of the folder onto itself, so the files in it are still served.
 * Returns how it was done and the undo, or why it could not.
 */
async function makeReadOnly(dir: string): Promise<{ how: string; undo(): Promise<void> } | { skipped: string }> {
  if (process.getuid?.() !== 0) {
    const dirs = [dir, ...(await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => path.join(e.parentPath, e.name))];
    await Promise.all(dirs.map((d) => chmod(d, 0o555)));
    return { how: "chmod 555", undo: async () => void (await Promise.all(dirs.map((d) => chmod(d, 0o755)))) };
  }
  try {
    await run(`mount --bind '${dir}' '${dir}' && mount -o remount,bind,ro '${dir}'`);
  } catch (error) {
    await run(`umount '${dir}'`).catch(() => {});
    return { skipped: `running as root, where chmod does not stop writes, and a read-only bind mount failed (${(error as Error).message.trim().split("\n").pop()})` };
  }
  return { how: "a read-only bind mount (running as root, where chmod does not stop writes)", undo: async () => void (await run(`umount '${dir}'`)) };
}

// ---------------------------------------------------------------------------

export async function runChaos(): Promise<boolean> {
  console.log("\nChaos: the production server under steady reads, writes and chat while what it depends on fails");
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    console.log("  SKIPPED: the chaos run needs PostgreSQL; set BENCH_DATABASE_URL to a server URL (a scratch database is made there)");
    return true;
  }
  await buildIfMissing();
  const chosenPort = process.env.CHAOS_PORT ? Number(process.env.CHAOS_PORT) : null;
  const port = chosenPort ?? (await freePort());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "rapport-bench-chaos-"));
  const uploadsDir = path.join(dataDir, "uploads");
  const children: ChildProcess[] = [];
  const postgres = (await scratchPostgres(serverUrl, "", "chaos_rapport_"))!;
  let undoReadOnly: (() => Promise<void>) | null = null;
  const cleanUp = async () => {
    await undoReadOnly?.().catch(() => {});
    await postgres.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const unguard = guardChildren(children, cleanUp);
  const smtp: TestSmtp = await testSmtp(chosenPort ? chosenPort + 1 : undefined);
  await smtp.start();
  const meiliTarget = process.env.MEILI_URL ? new URL(process.env.MEILI_URL) : null;
  const meili = meiliTarget ? await cuttableProxy(meiliTarget, chosenPort ? chosenPort + 2 : await freePort()) : null;
  const env: Record<string, string | undefined> = {
    SMTP_URL: smtp.url,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    // The run's clients share one address: as if behind a proxy, each says who it is.
    TRUST_PROXY: "loopback",
    LOGIN_MAX_PER_IP: "1000",
    ...(meili ? { MEILI_URL: meili.url, MEILI_KEY: process.env.MEILI_KEY } : {}),
  };
  let exits = 0;
  let app!: RunningApp;
  const start = async () => {
    app = startProductionServer("chaos", port, { dataDir, url: postgres.url }, env);
    children.push(app.child);
    app.child.once("exit", () => (exits += 1));
    await waitFor(`${app.base}/healthz`, app.child, app.output);
  };

  const results: boolean[] = [];
  const traffic = new Traffic(`http://127.0.0.1:${port}`);
  const writes: Write[] = [];
  const chat: ChatClient[] = [];
  const loops: Promise<void>[] = [];
  let stopping = false;
  /** Checks that need time to come true, made once the scenarios are over. */
  const atTheEnd: (() => Promise<void>)[] = [];
  /** From the SIGKILL until the new process answers: connections are refused, as they must be. */
  let killWindow: [number, number] = [Infinity, Infinity];
  const tag = Math.random().toString(36).slice(2, 8);
  const forwardedFor = (i: number) => ({ "x-forwarded-for": `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}` });

  try {
    const started = performance.now();
    await start();
    console.log(
      `  app on a scratch PostgreSQL database (pool of ${POOL_SIZE}), demo data, mail to a local SMTP sink${meili ? ", Meilisearch through a proxy" : ""}; ` +
        `answered /healthz ${((performance.now() - started) / 1000).toFixed(1)} s after its start; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`,
    );

    // Who does what: demo members, logged in through the form; threads, products and ideas they may write on.
    type MemberRow = { id: string; email: string; displayName: string; username: string; bio: string | null; company: string | null; phone: string | null; timezone: string; locale: string; contactChannel: string; contactHours: string | null };
    const rows = await query<MemberRow>(
      postgres.url,
      `SELECT "id", "email", "displayName", "username", "bio", "company", "phone", "timezone", "locale", "contactChannel", "contactHours" FROM "User"
       WHERE "email" LIKE 'member%@rapport.local' AND "role" = 'member' AND "suspendedUntil" IS NULL AND "deletedAt" IS NULL ORDER BY length("email"), "email"`,
    );
    const members: Member[] = [];
    for (const [i, row] of rows.entries()) {
      const cookie = await logInCookie(traffic.base, row.email, forwardedFor(i)).catch(() => null);
      if (!cookie) continue;
      const profile = Object.fromEntries(
        Object.entries({ displayName: row.displayName, username: row.username, company: row.company, phone: row.phone, timezone: row.timezone, locale: row.locale, contactChannel: row.contactChannel, contactHours: row.contactHours }).map(([k, v]) => [k, v ?? ""]),
      );
      members.push({ id: row.id, label: `m${i + 1}`, email: row.email, cookie, profile });
    }
    const threads = (
      await query<{ id: string }>(
        postgres.url,
        `SELECT t."id" FROM "ForumThread" t JOIN "User" u ON u."id" = t."authorId" WHERE u."role" = 'member' AND t."lockedAt" IS NULL AND t."deletedAt" IS NULL ORDER BY t."lastPostAt" DESC LIMIT 6`,
      )
    ).map((t) => t.id);
    const products = await query<{ id: string; slug: string }>(postgres.url, `SELECT "id", "slug" FROM "Product" WHERE "status" = 'active' ORDER BY "slug"`);
    const reviewed = new Set((await query<{ key: string }>(postgres.url, `SELECT "authorId" || '/' || "productId" AS key FROM "ProductReview"`)).map((r) => r.key));
    const ideas = (await query<{ id: string }>(postgres.url, `SELECT "id" FROM "Idea" WHERE "status" IN ('open', 'under_review', 'planned', 'in_progress') AND "mergedIntoId" IS NULL ORDER BY "id"`)).map((r) => r.id);
    const voted = new Set((await query<{ key: string }>(postgres.url, `SELECT "ideaId" || '/' || "userId" AS key FROM "IdeaVote"`)).map((r) => r.key));
    if (members.length < 12 || !threads.length || !products.length || !ideas.length) {
      throw new Error(`the demo data lacks what the run writes on: ${members.length} members logged in, ${threads.length} threads, ${products.length} products, ${ideas.length} ideas`);
    }

    const form = (fields: Record<string, string>) => ({ "content-type": "application/x-www-form-urlencoded", body: new URLSearchParams(fields).toString() });
    const post = async (member: Member, kind: Write["kind"], key: string, pathname: string, fields: Record<string, string>, acked: (status: number) => boolean) => {
      const write: Write = { kind, memberId: member.id, key, startedAt: performance.now(), ackedAt: null };
      writes.push(write);
      const { body, ...headers } = form(fields);
      const answer = await traffic.send(kind, pathname, { method: "POST", headers: { ...headers, cookie: member.cookie }, body });
      if (answer && acked(answer.status)) write.ackedAt = performance.now();
    };
    const redirected = (status: number) => status === 302 || status === 303;
    /** Runs `step` every `ms` (with jitter) until the run stops, or until it returns false. */
    const every = (ms: number, step: () => Promise<boolean | void>) => {
      loops.push(
        (async () => {
          await sleep(Math.random() * ms);
          while (!stopping && (await step()) !== false) await sleep(ms * (0.8 + Math.random() * 0.4));
        })(),
      );
    };

    const groups = [members.slice(0, 10), members.slice(10, 20), members.slice(20)];
    groups[0]!.forEach((member, i) => {
      let n = 0;
      every(6_000, () => {
        n += 1;
        const body = `Chaos ${tag} reply ${member.label}-${n}: mình nhận hàng đúng hẹn, cảm ơn cả nhà.`;
        return post(member, "reply", body, `/community/t/${threads[i % threads.length]}`, { intent: "reply", body }, (s) => s === 200 || redirected(s));
      });
    });
    groups[1]!.forEach((member) => {
      const todo = products.filter((p) => !reviewed.has(`${member.id}/${p.id}`));
      let n = 0;
      every(20_000, async () => {
        const product = todo.shift();
        if (!product) return false;
        n += 1;
        const title = `Chaos ${tag} review ${member.label}-${n}`;
        await post(member, "review", title, `/products/${product.slug}`, { intent: "write", rating: "5", title, body: "Đúng như mô tả, giao nhanh và đóng gói cẩn thận." }, redirected);
      });
    });
    groups[2]!.forEach((member) => {
      const todo = ideas.filter((id) => !voted.has(`${id}/${member.id}`));
      // Spread over the run (a vote cannot be repeated; the demo has a handful of ideas).
      every(30_000, async () => {
        const idea = todo.shift();
        if (!idea) return false;
        await post(member, "vote", `${idea}/${member.id}`, `/ideas/${idea}`, { intent: "vote" }, redirected);
      });
      let n = 0;
      every(7_000, () => {
        n += 1;
        const bio = `Chaos ${tag} bio ${member.label}-${n}`;
        return post(member, "profile", bio, "/profile?index", { ...member.profile, bio }, (s) => s === 200);
      });
    });
    const pages = ["/", "/community", `/community/t/${threads[0]}`, "/ideas", "/products", `/products/${products[0]!.slug}`, "/search?q=giao+hang"];
    for (const reader of [null, members[0]!, members[1]!]) {
      every(250, () => traffic.send("read", pages[Math.floor(Math.random() * pages.length)]!, reader ? { headers: { cookie: reader.cookie } } : {}).then(() => {}));
    }
    for (const member of members.slice(0, CHATTERS)) {
      chat.push(new ChatClient(member.label, member.id, member.cookie.replace(/^rapport_session=/, ""), [], true, traffic.base));
    }
    if (!(await until(() => chat.every((c) => c.resumed), 30_000))) throw new Error("the chat clients did not all connect and open their conversations");
    chat.forEach((client) => every(CHAT_INTERVAL_MS, async () => client.write(client.conversationIds[0]!)));
    console.log(
      `  load: ${groups[0]!.length} members reply in the forum every ~6 s, ${groups[1]!.length} write reviews every ~20 s, ${groups[2]!.length} vote on ideas every ~30 s ` +
        `and save their profile every ~7 s, ${CHATTERS} chat every ~${CHAT_INTERVAL_MS / 1000} s, 3 readers (1 anonymous) load a page every ~0.25 s`,
    );
    await sleep(8_000);
    const warm = failures(traffic.outcomes);
    console.log(`  before any fault: ${describeFailures(warm)}`);

    let refusalsSeen = 0;
    const settleAndVerify = async (label: string, before?: number) => {
      await sleep(3_000);
      const refusals = chat.flatMap((c) => c.errors);
      const fresh = refusals.slice(refusalsSeen);
      refusalsSeen = refusals.length;
      if (fresh.length) console.log(`    chat: ${fresh.length} sends or re-opens refused or unanswered, then resent (first: ${fresh[0]})`);
      const verified = await verifyWrites(postgres.url, tag, writes, chat, before ?? performance.now());
      check(results, verified.missing === 0, `${label}: acknowledged writes all stored`, verified.line);
      check(results, verified.twice === 0, `${label}: nothing stored twice`, `${verified.twice} duplicated`);
    };

    // 1. PostgreSQL restart.
    console.log("\n  1. PostgreSQL restart");
    const restart = process.env.CHAOS_PG_RESTART;
    if (skipped(1)) {
      /* not asked for */
    } else if (!restart) {
      console.log("    SKIPPED: set CHAOS_PG_RESTART to a command that restarts the PostgreSQL server of BENCH_DATABASE_URL (e.g. `pg_ctlcluster --skip-systemctl-redirect 15 main restart`)");
    } else {
      const exitsBefore = exits;
      const pid = app.child.pid;
      const health: { at: number; status: number }[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const at = performance.now();
          const answer = await fetch(`${traffic.base}/healthz`, { signal: AbortSignal.timeout(3_000) }).then((r) => r.status, () => 0);
          health.push({ at, status: answer });
          await sleep(100);
        }
      })();
      const t0 = performance.now();
      const command = await run(restart, { timeout: 120_000 }).then(
        () => null,
        (error: Error) => error.message.trim(),
      );
      const commandSeconds = (performance.now() - t0) / 1000;
      const answered = await answersWithin(serverUrl, 60_000);
      const tPg = performance.now();
      const healthy = await until(() => health.some((h) => h.at >= tPg && h.status === 200), 30_000);
      const tHealthy = health.find((h) => h.at >= tPg && h.status === 200)?.at ?? performance.now();
      polling = false;
      await poller;
      await sleep(1_000);
      const gap = failures(traffic.between(t0, tHealthy + 1_000));
      const unhealthy = health.filter((h) => h.at >= t0 && h.status !== 200);
      console.log(
        `    the restart command took ${commandSeconds.toFixed(1)} s${command ? ` and FAILED: ${command}` : ""}; PostgreSQL answered ${answered ? "" : "NOT within 60 s "}after it; ` +
          `/healthz was 503 for ${unhealthy.length} of its polls (${unhealthy.filter((h) => h.status === 0).length} without an answer)`,
      );
      check(results, !command && answered, "the restart ran and PostgreSQL answered again", command ?? "ok");
      const seconds = (tHealthy - tPg) / 1000;
      check(results, healthy && seconds <= HEALTHY_WITHIN_S, `/healthz 200 again within ${HEALTHY_WITHIN_S} s of PostgreSQL answering`, healthy ? `${seconds.toFixed(1)} s` : "not within 30 s");
      check(results, gap.bad === 0, "requests in the gap failed only as 503 with Retry-After", describeFailures(gap));
      check(results, exits === exitsBefore && app.child.pid === pid && app.child.exitCode === null, "the process never exited", `${exits - exitsBefore} exits`);
      await settleAndVerify("after the restart");
    }

    // 2. Pool exhaustion.
    console.log(`\n  2. Every pooled connection busy: requests wait on a lock on "Session" for ${HOLD_SECONDS} s (pool of ${POOL_SIZE}, more concurrent requests than that)`);
    if (!skipped(2)) {
      const locker = new pg.Client({ connectionString: postgres.url });
      locker.on("error", () => {});
      await locker.connect();
      await locker.query(`BEGIN; LOCK TABLE "Session" IN ACCESS EXCLUSIVE MODE`);
      const t0 = performance.now();
      // A burst beside the steady load: logged-in pages, each holding a connection while it waits.
      const burst = Array.from({ length: POOL_SIZE * 3 }, (_, i) => traffic.send("burst", i % 2 ? "/profile" : "/notifications", { headers: { cookie: members[i % members.length]!.cookie } }));
      await sleep(HOLD_SECONDS * 1000);
      await locker.query("ROLLBACK");
      await locker.end();
      const released = performance.now();
      await Promise.all(burst);
      const healthyFor = await healthyWithin(traffic.base, 30_000);
      const backSeconds = healthyFor === null ? null : (performance.now() - released) / 1000;
      const page = await traffic.send("after", "/profile", { headers: { cookie: members[2]!.cookie } });
      const window = failures(traffic.between(t0, released + 1_000));
      const bound = HOLD_SECONDS + 7;
      check(results, window.hung === 0 && window.worstMs < bound * 1000, `every request answered within the hold plus the pool's bound (${bound} s)`, `slowest ${(window.worstMs / 1000).toFixed(1)} s, ${window.hung} without an answer`);
      check(results, window.bad === 0, "what could not be served was a 503 with Retry-After (or an error ack), never a 500", describeFailures(window));
      check(
        results,
        backSeconds !== null && page?.status === 200,
        "the process answers after the connections are free",
        `/healthz 200 ${backSeconds === null ? "NOT within 30 s" : `${backSeconds.toFixed(1)} s`} after the release; a member page ${page?.status ?? "did not answer"}`,
      );
      await settleAndVerify("after the exhaustion");
    }

    // 3. SMTP down and back; then hanging (a firewall that drops packets, a server that accepts and never answers).
    console.log("\n  3. The SMTP server stops, mail is asked for, the server comes back; then it hangs instead");
    if (!skipped(3)) {
      const lastEvent = (await query<{ max: string | null }>(postgres.url, `SELECT max("id")::text AS max FROM "OutboxEvent"`))[0]?.max ?? "0";
      const mailEvents = () =>
        query<{ status: string; n: number; attempts: number }>(
          postgres.url,
          `SELECT "status"::text, count(*)::int AS n, max("attempts")::int AS attempts FROM "OutboxEvent" WHERE "type" = 'account.mail' AND "id" > $1 GROUP BY 1`,
          [lastEvent],
        );
      const resetMailTo = (email: string) => smtp.received.some((m) => m.to && !Array.isArray(m.to) && m.to.text.includes(email) && /reset-password\?token=/.test(m.text ?? ""));
      let asked = 0;
      /** Password resets for these members, one every half second; how long each answer took. */
      const askResets = async (who: Member[]) => {
        const answers: { ms: number; status: number }[] = [];
        for (const member of who) {
          const { body, ...headers } = form({ email: member.email });
          const started = performance.now();
          const answer = await traffic.send("mail", "/forgot-password", { method: "POST", headers: { ...headers, ...forwardedFor(1_000 + asked++) }, body });
          answers.push({ ms: performance.now() - started, status: answer?.status ?? 0 });
          await sleep(500);
        }
        return answers;
      };
      const quick = (answers: { ms: number; status: number }[]) => answers.every((a) => a.status === 200 && a.ms < 2_000);
      const slowest = (answers: { ms: number }[]) => Math.round(Math.max(...answers.map((a) => a.ms)));

      await smtp.stop();
      const t0 = performance.now();
      const down = members.slice(0, 8);
      const answers = await askResets(down);
      await sleep(Math.max(0, 10_000 - (performance.now() - t0)));
      const whileDown = await mailEvents();
      const pendingDown = whileDown.find((r) => r.status === "pending");
      await smtp.start();
      const restarted = performance.now();
      const delivered = await until(() => down.every((m) => resetMailTo(m.email)), 90_000);
      const deliveredSeconds = (performance.now() - restarted) / 1000;
      console.log(
        `    stopped: ${down.length} password resets asked, answered ${answers.map((a) => a.status).join(", ")}, slowest in ${slowest(answers)} ms; ` +
          `the outbox held ${pendingDown?.n ?? 0} pending (tried up to ${pendingDown?.attempts ?? 0} times) when it came back`,
      );
      check(results, quick(answers), "no request waited for the mail server", `slowest answer ${slowest(answers)} ms`);
      check(results, (pendingDown?.n ?? 0) >= down.length && !whileDown.some((r) => r.status === "dead"), "the mail stayed pending in the outbox", whileDown.map((r) => `${r.n} ${r.status}`).join(", ") || "no events");
      check(
        results,
        delivered && !(await mailEvents()).some((r) => r.status === "dead"),
        "every mail delivered once the server was back",
        delivered ? `all ${down.length} within ${deliveredSeconds.toFixed(1)} s` : `${down.filter((m) => resetMailTo(m.email)).length} of ${down.length} within 90 s`,
      );

      // Hanging: connections are accepted and never answered. Mail must not hold up the outbox's other work.
      await smtp.stop();
      const held = new Set<net.Socket>();
      const silent = net.createServer((socket) => {
        held.add(socket);
        socket.on("error", () => {});
      });
      await new Promise<void>((resolve) => silent.listen(Number(new URL(smtp.url).port), "127.0.0.1", resolve));
      const hung = members.slice(8, 11);
      const hangAnswers = await askResets(hung);
      // The outbox delivers one event at a time: while a mail hangs, nothing else moves. Its longest stall tells.
      const dbNow = async () => (await query<{ now: Date }>(postgres.url, "SELECT now()"))[0]!.now;
      const hangFrom = await dbNow();
      await sleep(HANG_SECONDS * 1000);
      const hangTo = await dbNow();
      const finished = await query<{ t: number }>(
        postgres.url,
        `SELECT extract(epoch FROM "processedAt")::float AS t FROM "OutboxEvent" WHERE "processedAt" BETWEEN $1 AND $2 ORDER BY 1`,
        [hangFrom, hangTo],
      );
      const times = [hangFrom.getTime() / 1000, ...finished.map((r) => r.t), hangTo.getTime() / 1000];
      const stall = Math.max(...times.slice(1).map((t, i) => t - times[i]!));
      held.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
      await smtp.start();
      const back = performance.now();
      console.log(
        `    hanging for ${HANG_SECONDS} s: ${hung.length} more resets asked, slowest answer ${slowest(hangAnswers)} ms; ${held.size} connections left hanging; ` +
          `the outbox finished ${finished.length} other events meanwhile, and stood still for ${stall.toFixed(1)} s at the longest`,
      );
      check(results, quick(hangAnswers), "no request waited for the hanging mail server", `slowest answer ${slowest(hangAnswers)} ms`);
      check(results, stall <= OUTBOX_STALL_S, `the outbox's other work went on (stood still at most ${OUTBOX_STALL_S} s)`, `${stall.toFixed(1)} s`);
      // Their retries back off while it hangs; checked at the end of the run rather than waited for here.
      atTheEnd.push(async () => {
        const delivered = await until(() => hung.every((m) => resetMailTo(m.email)), 120_000);
        check(
          results,
          delivered,
          "the mail asked for while the mail server hung was delivered after it answered again",
          delivered ? `${((performance.now() - back) / 1000).toFixed(1)} s after` : `${hung.filter((m) => resetMailTo(m.email)).length} of ${hung.length}`,
        );
      });
    }

    // 4. Uploads read-only.
    console.log("\n  4. DATA_DIR/uploads turns read-only and a member uploads an avatar");
    if (!skipped(4)) {
      await mkdir(uploadsDir, { recursive: true });
      const readOnly = await makeReadOnly(uploadsDir);
      if ("skipped" in readOnly) {
        console.log(`    SKIPPED: ${readOnly.skipped}`);
      } else {
        undoReadOnly = readOnly.undo;
        const member = members[3]!;
        const avatarOf = async () => (await query<{ avatarKey: string | null }>(postgres.url, `SELECT "avatarKey" FROM "User" WHERE "id" = $1`, [member.id]))[0]!.avatarKey;
        const picture = await sharp({ create: { width: 96, height: 96, channels: 3, background: { r: 15, g: 92, b: 77 } } }).png().toBuffer();
        const upload = () => {
          const body = new FormData();
          body.append("avatar", new Blob([new Uint8Array(picture)], { type: "image/png" }), "me.png");
          return traffic.send("upload", "/profile?index", { method: "POST", headers: { cookie: member.cookie }, body });
        };
        const filesBefore = await filesUnder(uploadsDir);
        const avatarBefore = await avatarOf();
        const t0 = performance.now();
        const refused = await upload();
        await sleep(3_000);
        const others = failures(traffic.between(t0, performance.now()).filter((o) => o.kind !== "upload"));
        const left = [...(await filesUnder(uploadsDir))].filter((f) => !filesBefore.has(f));
        const avatarDuring = await avatarOf();
        await readOnly.undo();
        undoReadOnly = null;
        const accepted = await upload();
        const said = !!refused && [en, vi].some((m) => refused.body.includes(m["upload.storageUnavailable"].slice(0, 40)));
        console.log(`    made read-only with ${readOnly.how}`);
        check(
          results,
          !!refused && [400, 403, 413, 415, 422, 503, 507].includes(refused.status) && said,
          "the upload is refused with a clear message",
          `${refused?.status ?? "no answer"}${said ? ", the page says the server has no room for files" : ", without the message"}`,
        );
        check(results, left.length === 0 && avatarDuring === avatarBefore, "no partial file, nothing changed", `${left.length} new files${left.length ? ` (${left.join(", ")})` : ""}; avatar ${avatarDuring === avatarBefore ? "unchanged" : "changed"}`);
        check(results, others.bad === 0, "other pages kept working", describeFailures(others));
        check(results, accepted?.status === 200 && (await avatarOf()) !== avatarBefore, "writable again, the same upload goes through", `${accepted?.status ?? "no answer"}`);
      }
    }

    // 5. SIGKILL and restart.
    console.log("\n  5. The app is SIGKILLed mid-write and started again");
    if (!skipped(5)) {
      await until(() => traffic.inFlightWrites > 0, 3_000);
      const inFlight = traffic.inFlightWrites;
      const killedAt = performance.now();
      const exited = new Promise((resolve) => app.child.once("exit", resolve));
      app.child.kill("SIGKILL");
      await exited;
      await start();
      const back = (performance.now() - killedAt) / 1000;
      killWindow = [killedAt, performance.now() + 1_000];
      const resumed = await until(() => chat.every((c) => c.resumed), 60_000);
      console.log(
        `    ${inFlight} HTTP writes in flight at the kill; the new process answered /healthz ${back.toFixed(1)} s after it; ` +
          `${resumed ? `every chat client reconnected ${((performance.now() - killedAt) / 1000).toFixed(1)} s after it` : "NOT every chat client reconnected within 60 s"}`,
      );
      await settleAndVerify("writes acknowledged before the kill", killedAt);
    }

    // 6. Meilisearch.
    console.log("\n  6. Meilisearch goes away and comes back");
    if (skipped(6)) {
      /* not asked for */
    } else if (!meili) {
      console.log("    SKIPPED: MEILI_URL is not set (the app searches with PostgreSQL, which the other scenarios already cover)");
    } else {
      const lastEvent = (await query<{ max: string | null }>(postgres.url, `SELECT max("id")::text AS max FROM "OutboxEvent"`))[0]?.max;
      await meili.down();
      const t0 = performance.now();
      const searches: Answer[] = [];
      for (let i = 0; i < 8; i++) {
        searches.push(await traffic.send("search", "/search?q=giao+hang", { headers: { cookie: members[4]!.cookie } }));
        await sleep(1_000);
      }
      const down = failures(traffic.between(t0, performance.now()));
      await meili.up();
      const syncEvents = () =>
        query<{ status: string; n: number }>(postgres.url, `SELECT "status"::text, count(*)::int AS n FROM "OutboxEvent" WHERE "type" = 'search.sync' AND "id" > $1 GROUP BY 1`, [lastEvent ?? "0"]);
      const deadline = performance.now() + 90_000;
      let last: { status: string; n: number }[] = [];
      let pending = -1;
      while (pending !== 0 && performance.now() < deadline) {
        if (pending > 0) await sleep(1_000);
        last = await syncEvents();
        pending = last.find((r) => r.status === "pending")?.n ?? 0;
      }
      check(results, down.bad === 0, "while it was away, pages and searches failed only as 503 with Retry-After", `${describeFailures(down)}; searches answered ${searches.map((s) => s?.status ?? 0).join(", ")}`);
      check(results, pending === 0 && !last.some((r) => r.status === "dead"), "the index caught up once it was back", last.map((r) => `${r.n} ${r.status}`).join(", ") || "no search events");
    }

    // The end: writers stop, chat drains, everything is checked once more.
    stopping = true;
    await Promise.all(loops);
    const drained = await until(() => chat.every((c) => c.pending.size === 0), 60_000);
    console.log("\n  the whole run");
    for (const last of atTheEnd) await last();
    const all = failures(traffic.outcomes);
    console.log(`    ${describeFailures(all)}`);
    const refusedConnections = traffic.outcomes.filter((o) => o.status === 0 && !o.error?.startsWith("no answer") && (o.end < killWindow[0] || o.at > killWindow[1])).length;
    check(
      results,
      all.status5xx === 0 && all.bare503 === 0 && all.hung === 0 && refusedConnections === 0,
      "never a 500, a 503 without Retry-After, a request without an answer, or a lost connection outside the kill",
      `${all.status5xx} 5xx, ${all.bare503} bare 503, ${all.hung} unanswered, ${refusedConnections} connection errors${killWindow[0] < Infinity ? ` outside the kill's ${((killWindow[1] - killWindow[0]) / 1000).toFixed(1)} s` : ""}`,
    );
    const unacked = chat.reduce((n, c) => n + c.pending.size + c.counts.givenUp, 0);
    check(results, drained && unacked === 0, "every chat message acked in the end", `${unacked} without an ack; ${chat.reduce((n, c) => n + c.counts.resends, 0)} resends, ${chat.reduce((n, c) => n + c.counts.duplicateAcks, 0)} answered as already stored`);
    await settleAndVerify("at the end");
    const failed = results.filter((r) => !r).length;
    console.log(`  ${results.length - failed} checks passed, ${failed} failed; the run took ${Math.round((performance.now() - started) / 1000)} s`);
    return failed === 0;
  } catch (error) {
    console.log(`  FAIL  the chaos run could not run to the end: ${(error as Error).stack ?? (error as Error).message}`);
    if (app?.output.length) console.log(`  the app's last lines:\n${app.output.slice(-10).join("\n")}`);
    return false;
  } finally {
    stopping = true;
    chat.forEach((c) => c.close());
    await Promise.all(loops);
    await Promise.all(children.map((c) => stopChild(c)));
    await smtp.stop();
    await meili?.down();
    await cleanUp();
    unguard();
  }
}
