/**
 * A PostgreSQL server of a test's own (initdb into a temporary folder, on a free port), for tests
 * that restart or stop the database: doing that to the shared server would break every other
 * test file running beside it. Needs PostgreSQL's server binaries (Debian: postgresql-15); as
 * root they run as the `postgres` user, since initdb refuses root.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freeLocalPort } from "./ports.ts";

const run = promisify(execFile);

export function postgresBinDir(): string | null {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv && existsSync(path.join(fromEnv, "initdb"))) return fromEnv;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = path.join(root, version, "bin");
    if (existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  return null;
}

export interface DisposablePostgres {
  url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startDisposablePostgres(): Promise<DisposablePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL server binaries not found (set POSTGRES_BIN_DIR)");
  const asRoot = process.getuid?.() === 0;
  const tmp = await mkdtemp(path.join(os.tmpdir(), "rapport-pg-"));
  // The postgres user must be able to reach its data folder.
  await chmod(tmp, 0o777);
  const dataDir = path.join(tmp, "data");
  const port = await freeLocalPort();
  const as = async (command: string, args: string[]) => {
    const file = path.join(bin, command);
    if (asRoot) await run("runuser", ["-u", "postgres", "--", file, ...args]);
    else await run(file, args);
  };
  await as("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const options = `-p ${port} -k ${tmp} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const pgCtl = (action: string, extra: string[] = []) =>
    as("pg_ctl", [action, "-D", dataDir, "-w", "-t", "30", "-l", path.join(tmp, "log"), ...extra]);
  await pgCtl("start", ["-o", options]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    // "fast" is what an operator's restart does: every connection gets 57P01.
    restart: () => pgCtl("restart", ["-m", "fast", "-o", options]),
    stop: () => pgCtl("stop", ["-m", "fast"]),
    start: () => pgCtl("start", ["-o", options]),
    async dispose() {
      await pgCtl("stop", ["-m", "immediate"]).catch(() => undefined);
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
