/**
 * npm run db:backup [-- <file>]     a consistent copy of the embedded database, also while the app runs
 * npm run db:restore -- <file>      replaces the embedded database with a backup (the app stopped)
 * Default file: DATA_DIR/backups/rapport-<time>.tar.gz. Uploads (DATA_DIR/uploads) are plain files:
 * copy them beside it. On PostgreSQL, use pg_dump or base backups (the README says how).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig } from "./config.ts";
import { openDatabase } from "./db/open.ts";
import { acquireDataDirLock, runningOwner } from "./db/lock.ts";
import { requestBackupFromRunningApp, restoreEmbeddedBackup } from "./db/backup.ts";

const USAGE = "Usage: npm run db:backup [-- <file>]  |  npm run db:restore -- <file>";

export async function backupCommand(args: string[], env: Record<string, string | undefined> = process.env) {
  const [command, file, ...rest] = args;
  const config = loadConfig(env);
  if (config.database.kind !== "pglite") {
    return { code: 2, line: "DATABASE_URL is set: back up PostgreSQL with pg_dump or base backups (see the README's Backups section)." };
  }
  if (rest.length || (command !== "backup" && command !== "restore")) return { code: 2, line: USAGE };
  const dataDir = path.resolve(config.dataDir);
  if (command === "restore") {
    if (!file) return { code: 2, line: USAGE };
    const { replacedFolder } = await restoreEmbeddedBackup(dataDir, path.resolve(file));
    return { code: 0, line: `Restored ${file} into ${dataDir}.${replacedFolder ? ` The previous database is kept in ${replacedFolder}.` : ""}` };
  }
  const target = path.resolve(file ?? path.join(dataDir, "backups", `rapport-${new Date().toISOString().replace(/[:.]/g, "-")}.tar.gz`));
  const owner = runningOwner(dataDir);
  if (owner) {
    await requestBackupFromRunningApp(dataDir, owner, target);
    return { code: 0, line: `Backed up the running app's database to ${target}.` };
  }
  await acquireDataDirLock(dataDir);
  const opened = await openDatabase(config.database);
  try {
    await opened.backup!(target);
  } finally {
    await opened.close();
  }
  return { code: 0, line: `Backed up ${dataDir} to ${target}.` };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  backupCommand(process.argv.slice(2)).then(
    ({ code, line }) => {
      (code === 0 ? console.log : console.error)(line);
      process.exit(code);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
