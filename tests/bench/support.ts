/**
 * Small helpers the benchmarks share: env knobs, ports, child processes and
 * scratch PostgreSQL databases. Nothing here measures anything.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export const STARTUP_TIMEOUT_MS = 120_000;

export function positiveNumber(name: string, fallback: number) {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Keeps the last lines a child printed, to show them if it fails to start. */
export function captureTail(child: ChildProcess, lines: string[]) {
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 30));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
}

export async function waitFor(url: string, child: ChildProcess, output: string[], timeoutMs = STARTUP_TIMEOUT_MS) {
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

/** SIGTERM, then SIGKILL if it has not drained in time; resolves once it is gone. */
export async function stopChild(child: ChildProcess, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Last resort if we are interrupted (Ctrl-C) or exit early: every child in
 * the list (it may grow later) is killed, then `cleanUp` runs before exiting.
 * Returns the function that removes these handlers once the bench is done.
 */
export function guardChildren(children: ChildProcess[], cleanUp: () => Promise<unknown>) {
  const killAll = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill("SIGKILL"));
  const onSignal = (signal: NodeJS.Signals) => {
    killAll();
    void cleanUp().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("exit", killAll);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    process.removeListener("exit", killAll);
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  };
}

/**
 * A fresh database on the PostgreSQL server of BENCH_DATABASE_URL, dropped
 * afterwards; without it, null (the caller says what it skips).
 */
export async function scratchPostgres(serverUrl: string | undefined, suffix = "", prefix = "rapport_bench_") {
  if (!serverUrl) return null;
  const { default: pg } = await import("pg");
  const name = `${prefix}${process.pid}${suffix}`;
  // A connection per statement, not one kept open: a server restart (the chaos run) ends every
  // connection, and a pg Client without an 'error' listener would then end this process.
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    client.on("error", () => {});
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end().catch(() => {});
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name}`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    },
  };
}

/** The value at percentile p of an ascending list (nearest rank); NaN when empty. */
export function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `npm run build` when there is no production build yet (the benches run the built server). */
export async function buildIfMissing() {
  if (existsSync("build/server/index.js")) return;
  console.log("No production build found; running `npm run build` first…");
  await new Promise<void>((resolve, reject) => {
    const build = spawn("npm", ["run", "build"], { stdio: "inherit" });
    build.on("error", reject);
    build.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed (${code})`))));
  });
}

export interface RunningApp {
  label: string;
  base: string;
  child: ChildProcess;
  output: string[];
}

/**
 * The production server (`server/main.ts` on the build, demo data) in a child process, on the
 * embedded database or on PostgreSQL (`database.url`). Only the database chosen here and kept
 * mail, whatever the shell exports, unless `env` sets them (SMTP_URL, MEILI_URL, …).
 */
export function startProductionServer(label: string, port: number, database: { dataDir: string; url?: string }, env: Record<string, string | undefined> = {}): RunningApp {
  const base = `http://127.0.0.1:${port}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    RAPPORT_DEMO: "1",
    DATA_DIR: database.dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: base,
    LOG_LEVEL: "warn",
  };
  for (const name of ["DATABASE_URL", "SMTP_URL", "MEILI_URL", "MEILI_KEY", "INSTANCES", "TRUST_PROXY"]) delete childEnv[name];
  if (database.url) childEnv.DATABASE_URL = database.url;
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { env: { ...childEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  captureTail(child, output);
  return { label, base, child, output };
}

/** A demo account's session cookie (`rapport_session=…`), through the real log-in form. */
export async function logInCookie(base: string, email: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, ...headers },
    body: new URLSearchParams({ email, password: "rapport-demo" }),
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`logging in as ${email} failed (${response.status})`);
  return cookie;
}

/** One PASS/FAIL line of a correctness check, its verdict kept in `results`. */
export function check(results: boolean[], pass: boolean, label: string, detail: string) {
  results.push(pass);
  console.log(`  ${pass ? "PASS" : "FAIL"}  ${label}: ${detail}`);
}

/**
 * A local SMTP server (smtp-server) that accepts every mail and counts it by recipient, reading
 * the message through without parsing or keeping it: a sink that costs the sender as little as a
 * mail server can. `twice()` is how many recipients were accepted more than once.
 */
export async function countingSmtpSink(port: number) {
  const { SMTPServer } = await import("smtp-server");
  const byRecipient = new Map<string, number>();
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    // Its default reverse DNS lookup of each client waits on a resolver this machine may not have.
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => {
        accepted++;
        for (const to of session.envelope.rcptTo) byRecipient.set(to.address, (byRecipient.get(to.address) ?? 0) + 1);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted: () => accepted,
    distinct: () => byRecipient.size,
    twice: () => [...byRecipient.values()].filter((n) => n > 1).length,
    reset() {
      accepted = 0;
      byRecipient.clear();
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
