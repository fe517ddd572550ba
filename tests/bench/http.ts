/**
 * HTTP benchmark: the production build under autocannon for `/`, `/login`
 * and a long forum thread, beside a bare Node `http` server on the same
 * machine, with the ratio. Only loopback traffic; bounded in time; prints
 * figures, never fails on them.
 *
 * Both servers run in their own child process and autocannon in this one, so
 * the bare figure is not dragged down by sharing an event loop with the load
 * generator (which would flatter the app's ratio).
 *
 *   BENCH_DURATION     seconds per target (default 8)
 *   BENCH_CONNECTIONS  concurrent connections (default 10)
 *   BENCH_WARMUP       warm-up seconds per target, not counted (default 1)
 *   BENCH_DATABASE_URL a PostgreSQL server: adds the same rows on a scratch database there
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import {
  buildIfMissing,
  captureTail,
  freePort,
  guardChildren,
  logInCookie,
  positiveNumber,
  scratchPostgres,
  startProductionServer,
  stopChild,
  waitFor,
} from "./support.ts";

const DURATION = positiveNumber("BENCH_DURATION", 8);
const CONNECTIONS = Math.round(positiveNumber("BENCH_CONNECTIONS", 10));
const WARMUP = positiveNumber("BENCH_WARMUP", 1);

const BARE_SERVER = `
const http = require("node:http");
const page = "<!doctype html><html lang=en><head><meta charset=utf-8><title>bare</title></head><body><h1>Hello</h1><p>A fixed page.</p></body></html>";
const server = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(page) });
  res.end(page);
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;

function load(url: string, seconds: number, headers: Record<string, string> = {}) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: seconds, headers }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

async function measure(url: string, headers: Record<string, string> = {}) {
  await load(url, WARMUP, headers); // JIT, caches, the Remix module graph
  return load(url, DURATION, headers);
}

/** Resident memory of a process, in MiB: now (VmRSS) and its peak (VmHWM). */
async function memoryOf(pid: number | undefined) {
  if (!pid) return null;
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const mib = (field: string) => {
    const kb = Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1]);
    return kb ? Math.round(kb / 1024) : null;
  };
  const rss = mib("VmRSS");
  return rss ? { rss, peak: mib("VmHWM") } : null;
}

export async function runHttpBench() {
  await buildIfMissing();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "rapport-bench-"));
  const barePort = await freePort();
  const bareUrl = `http://127.0.0.1:${barePort}/`;
  const postgres = await scratchPostgres(process.env.BENCH_DATABASE_URL);

  const children: ChildProcess[] = [];
  // Last resort if we are interrupted: no server outlives the benchmark.
  const unguard = guardChildren(children, () => rm(dataDir, { recursive: true, force: true }));

  const apps = [startProductionServer("embedded PGlite", await freePort(), { dataDir: path.join(dataDir, "pglite") })];
  if (postgres) apps.push(startProductionServer("PostgreSQL", await freePort(), { dataDir: path.join(dataDir, "pg"), url: postgres.url }));
  children.push(...apps.map((a) => a.child));
  const bareOutput: string[] = [];
  const bare = spawn(process.execPath, ["-e", BARE_SERVER], {
    env: { ...process.env, PORT: String(barePort) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(bare);
  captureTail(bare, bareOutput);

  try {
    const started = Date.now();
    await waitFor(bareUrl, bare, bareOutput);
    for (const app of apps) await waitFor(`${app.base}/healthz`, app.child, app.output);
    const startupMs = Date.now() - started;

    console.log(
      `\nHTTP: ${CONNECTIONS} connections, ${DURATION} s per target after a ${WARMUP} s warm-up, ` +
        `127.0.0.1, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
    console.log(`  production build with the demo data, on ${apps.map((a) => a.label).join(" and ")}; all answered /healthz within ${(startupMs / 1000).toFixed(1)} s`);
    if (!postgres) console.log("  BENCH_DATABASE_URL is not set: PostgreSQL rows skipped (set it to a server URL to add them)");

    const bareResult = await measure(bareUrl);
    const row = (r: autocannon.Result) => ({
      "req/s (mean)": Math.round(r.requests.average),
      "p50 ms": r.latency.p50,
      "p99 ms": r.latency.p99,
      requests: r.requests.total,
      "errors+timeouts": r.errors + r.timeouts,
      "non-2xx": r.non2xx,
      "vs bare": `${((r.requests.average / bareResult.requests.average) * 100).toFixed(1)}%`,
    });
    const rows: Record<string, ReturnType<typeof row>> = { "bare node http /": row(bareResult) };
    const memory: string[] = [];
    for (const app of apps) {
      // The other app idles meanwhile; each is measured alone.
      const idle = await memoryOf(app.child.pid);
      const tag = apps.length > 1 ? ` [${app.label}]` : "";
      const thread = `${app.base}/community/t/demo-long-thread`;
      rows[`GET / (anonymous)${tag}`] = row(await measure(`${app.base}/`, { "accept-language": "vi" }));
      rows[`GET /login${tag}`] = row(await measure(`${app.base}/login`, { "accept-language": "en" }));
      // The demo's 61-post thread: its first page holds the opening post and 49 replies.
      rows[`thread page, 50 posts, anonymous${tag}`] = row(await measure(thread, { "accept-language": "vi" }));
      // A member also gets their reactions, watch level and read position, and marks the page read.
      const cookie = await logInCookie(app.base, "member3@rapport.local");
      rows[`thread page, 50 posts, member${tag}`] = row(await measure(thread, { "accept-language": "vi", cookie }));
      const after = await memoryOf(app.child.pid);
      if (after) memory.push(`${app.label}: ${idle?.rss ?? "?"} MiB RSS before its run, ${after.rss} MiB after${after.peak ? `, peak ${after.peak} MiB` : ""}`);
    }
    console.table(rows);
    for (const line of memory) console.log(`  app server memory, ${line}`);
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await postgres?.drop();
    await rm(dataDir, { recursive: true, force: true });
    unguard();
  }
}
