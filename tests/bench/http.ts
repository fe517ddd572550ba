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
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";

function positiveNumber(name: string, fallback: number) {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

const DURATION = positiveNumber("BENCH_DURATION", 8);
const CONNECTIONS = Math.round(positiveNumber("BENCH_CONNECTIONS", 10));
const WARMUP = positiveNumber("BENCH_WARMUP", 1);
const STARTUP_TIMEOUT_MS = 120_000;

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

async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Keeps the last lines a child printed, to show them if it fails to start. */
function captureTail(child: ChildProcess, lines: string[]) {
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 30));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
}

async function waitFor(url: string, child: ChildProcess, output: string[], timeoutMs = STARTUP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before answering:\n${output.join("\n")}`);
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${output.join("\n")}`);
}

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

/** SIGTERM, then SIGKILL if it has not drained in time; resolves once it is gone. */
async function stopChild(child: ChildProcess, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

async function buildIfMissing() {
  if (existsSync("build/server/index.js")) return;
  console.log("No production build found; running `npm run build` first…");
  await new Promise<void>((resolve, reject) => {
    const build = spawn("npm", ["run", "build"], { stdio: "inherit" });
    build.on("error", reject);
    build.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed (${code})`))));
  });
}

export async function runHttpBench() {
  await buildIfMissing();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "rapport-bench-"));
  const [appPort, barePort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${appPort}`;
  const bareUrl = `http://127.0.0.1:${barePort}/`;

  const children: ChildProcess[] = [];
  // Last resort if we are interrupted: no server outlives the benchmark.
  const killAll = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill("SIGKILL"));
  const onSignal = (signal: NodeJS.Signals) => {
    killAll();
    void rm(dataDir, { recursive: true, force: true }).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("exit", killAll);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const appOutput: string[] = [];
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    RAPPORT_DEMO: "1",
    DATA_DIR: dataDir,
    PORT: String(appPort),
    HOST: "127.0.0.1",
    PUBLIC_URL: base,
    LOG_LEVEL: "warn",
  };
  // Always the embedded database and kept mail, whatever the shell exports.
  for (const name of ["DATABASE_URL", "SMTP_URL", "MEILI_URL", "MEILI_KEY", "INSTANCES", "TRUST_PROXY"]) delete appEnv[name];
  const app = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: appEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(app);
  captureTail(app, appOutput);
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
    await waitFor(`${base}/healthz`, app, appOutput);
    const startupMs = Date.now() - started;
    const idle = await memoryOf(app.pid);

    console.log(
      `\nHTTP: ${CONNECTIONS} connections, ${DURATION} s per target after a ${WARMUP} s warm-up, ` +
        `127.0.0.1, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
    console.log(`  app (production build, embedded PGlite, demo data) answered /healthz after ${(startupMs / 1000).toFixed(1)} s`);

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
    rows["app GET / (anonymous)"] = row(await measure(`${base}/`, { "accept-language": "vi" }));
    rows["app GET /login"] = row(await measure(`${base}/login`, { "accept-language": "en" }));
    // The demo's 61-post thread: its first page holds the opening post and 49 replies.
    rows["app GET thread page (50 posts)"] = row(
      await measure(`${base}/community/t/demo-long-thread`, { "accept-language": "vi" }),
    );
    console.table(rows);

    const after = await memoryOf(app.pid);
    if (after) {
      console.log(
        `  app server memory: ${idle?.rss ?? "?"} MiB RSS after start, ${after.rss} MiB after the run` +
          (after.peak ? `, peak ${after.peak} MiB` : ""),
      );
    }
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await rm(dataDir, { recursive: true, force: true });
    process.removeListener("exit", killAll);
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}
