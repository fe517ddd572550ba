/**
 * Backups of the embedded database (`npm run db:backup`, `npm run db:restore`). PostgreSQL is
 * backed up with its own tools (pg_dump, or base backups with WAL archiving for point-in-time
 * recovery; see the README).
 *
 * PGlite belongs to one process. While the app runs, the command asks the app itself for the
 * dump: it writes a request file into DATA_DIR and sends SIGUSR2 to the pid in the lock file; the
 * app dumps between two queries and writes a reply file. With the app stopped, the command opens
 * the database itself. A restore needs the app stopped; the folder it replaces is kept aside.
 */
import { existsSync, readFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import type { Logger } from "pino";
import type { OpenDatabase } from "./open.ts";
import { acquireDataDirLock, runningOwner } from "./lock.ts";

const REQUEST = "backup-request.json";
const REPLY = "backup-reply.json";

interface BackupReply {
  id: string;
  ok: boolean;
  error?: string;
}

/** In the running app: answers a backup request sent by `npm run db:backup`. */
export function answerBackupRequests(database: OpenDatabase, dataDir: string, logger: Logger) {
  if (!database.backup) return () => {};
  const backup = database.backup;
  let busy: Promise<void> = Promise.resolve();
  const onSignal = () => {
    // Nothing here may reject unhandled: the app must outlive a bad request file or a full disk.
    busy = busy
      .then(async () => {
        const raw = await readFile(path.join(dataDir, REQUEST), "utf8").catch(() => null);
        if (!raw) return;
        let reply: BackupReply;
        let id = "unknown";
        try {
          const request = JSON.parse(raw) as { id: string; target: string };
          id = String(request.id);
          if (typeof request.target !== "string" || !path.isAbsolute(request.target)) throw new Error("the request names no absolute target file");
          await backup(request.target);
          reply = { id, ok: true };
          logger.info({ target: request.target }, "embedded database backed up");
        } catch (error) {
          reply = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
          logger.error({ err: error }, "embedded database backup failed");
        }
        await writeFile(path.join(dataDir, `${REPLY}.partial`), JSON.stringify(reply));
        await rename(path.join(dataDir, `${REPLY}.partial`), path.join(dataDir, REPLY));
      })
      .catch((error: unknown) => logger.error({ err: error }, "embedded database backup: could not answer"));
  };
  process.on("SIGUSR2", onSignal);
  return () => process.off("SIGUSR2", onSignal);
}

/** From the command line: asks the running app (pid) for a backup and waits for its reply. */
export async function requestBackupFromRunningApp(dataDir: string, pid: number, target: string, timeoutMs = 120_000) {
  // The pid comes from a lock file a crash may have left behind: signal it only if it is Rapport.
  if (!isRapportProcess(pid)) throw new Error(`process ${pid} named in ${path.join(dataDir, "rapport.pid")} is not a running Rapport server`);
  const id = `${Date.now()}-${process.pid}`;
  await rm(path.join(dataDir, REPLY), { force: true });
  await writeFile(path.join(dataDir, REQUEST), JSON.stringify({ id, target }));
  process.kill(pid, "SIGUSR2");
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const raw = await readFile(path.join(dataDir, REPLY), "utf8").catch(() => null);
      const reply = raw ? (JSON.parse(raw) as BackupReply) : null;
      if (reply?.id === id) {
        if (!reply.ok) throw new Error(`the running app could not back up: ${reply.error}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no answer from the running app (pid ${pid}) within ${timeoutMs / 1000} s`);
  } finally {
    await rm(path.join(dataDir, REQUEST), { force: true });
    await rm(path.join(dataDir, REPLY), { force: true });
  }
}

/** Where /proc says what a process runs (Linux), it must be Rapport's server; elsewhere, trust the lock. */
function isRapportProcess(pid: number) {
  if (pid === process.pid) return true;
  try {
    // Run by tsx from source, or by node from the compiled server (server/bundle.ts).
    return /server\/main\.ts|server-node\/main\.js/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return !existsSync("/proc/self");
  }
}

/**
 * Replaces the embedded database with a backup. The current folder is moved to
 * `pg.replaced-<time>` (never deleted); the restored one is opened once to check it.
 */
export async function restoreEmbeddedBackup(dataDir: string, file: string, now = new Date()) {
  const owner = runningOwner(dataDir);
  if (owner) throw new Error(`Rapport (pid ${owner}) is running on ${dataDir}: stop it before restoring.`);
  // Held for the restore, so an app starting meanwhile cannot open a half-replaced folder.
  await acquireDataDirLock(dataDir);
  const bytes = await readFile(file);
  const live = path.join(dataDir, "pg");
  const aside = existsSync(live) ? `${live}.replaced-${now.toISOString().replace(/[:.]/g, "-")}` : null;
  if (aside) await rename(live, aside);
  try {
    const pglite = await PGlite.create(live, { extensions: { unaccent, pg_trgm }, loadDataDir: new Blob([new Uint8Array(bytes)]) });
    await pglite.query(`SELECT count(*) FROM "_prisma_migrations"`);
    await pglite.close();
  } catch (error) {
    // Put back what was there: a bad backup file must not cost the live database.
    await rm(live, { recursive: true, force: true });
    if (aside) await rename(aside, live);
    throw error;
  }
  return { replacedFolder: aside };
}
