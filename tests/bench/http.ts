/**
 * HTTP benchmark: the production build under autocannon for `/` and
 * `/login`, beside a bare Node `http` server on the same machine, with the
 * ratio. Only loopback traffic; bounded in time; prints figures, never fails.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";

const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function run(url: string, headers: Record<string, string> = {}) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

async function rssOf(pid: number | undefined) {
  if (!pid) return null;
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1]);
  return kb ? Math.round(kb / 1024) : null;
}

export async function runHttpBench() {
  if (!existsSync("build/server/index.js")) {
    console.log("Building the production bundle first…");
    await new Promise<void>((resolve, reject) => {
      const b = spawn("npm", ["run", "build"], { stdio: "inherit" });
      b.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`build failed (${code})`))));
    });
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "rapport-bench-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, NODE_ENV: "production", RAPPORT_DEMO: "1", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: base, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const bare: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><html><head><title>bare</title></head><body><h1>Hello</h1></body></html>");
  });
  const kill = () => child.exitCode === null && child.kill("SIGTERM");
  process.once("exit", kill);
  try {
    await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
    await waitFor(`${base}/healthz`, child);
    // Warm-up: JIT, PGlite caches, Remix module graph.
    for (let i = 0; i < 50; i++) await Promise.all([fetch(`${base}/`), fetch(`${base}/login`)]);

    console.log(`\nHTTP: ${CONNECTIONS} connections, ${DURATION} s per target, on ${os.cpus().length} cores`);
    const rows: Record<string, Record<string, string | number>> = {};
    const bareResult = await run(bareUrl);
    const row = (r: autocannon.Result, ratioTo?: autocannon.Result) => ({
      "req/s": Math.round(r.requests.average),
      "p50 ms": r.latency.p50,
      "p99 ms": r.latency.p99,
      "non-2xx": r.non2xx,
      errors: r.errors,
      "vs bare": ratioTo ? `${((r.requests.average / ratioTo.requests.average) * 100).toFixed(1)}%` : "100%",
    });
    rows["bare node http"] = row(bareResult);
    rows["app GET / (anonymous)"] = row(await run(`${base}/`, { "accept-language": "vi" }), bareResult);
    rows["app GET /login"] = row(await run(`${base}/login`, { "accept-language": "en" }), bareResult);
    // The demo's 61-post thread: its first page holds the opening post and 49 replies.
    rows["app GET thread page (50 posts)"] = row(await run(`${base}/community/t/demo-long-thread`, { "accept-language": "vi" }), bareResult);
    console.table(rows);
    const rss = await rssOf(child.pid);
    if (rss) console.log(`  app server memory after the run: ${rss} MiB RSS`);
  } finally {
    kill();
    bare.close();
    await new Promise((r) => setTimeout(r, 300));
    await rm(dataDir, { recursive: true, force: true });
  }
}
