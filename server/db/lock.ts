import { readFileSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** The pid of another live process that holds the embedded database folder, if any. */
export function runningOwner(dataDir: string): number | null {
  let previous: string | null = null;
  try {
    previous = readFileSync(path.join(dataDir, "rapport.pid"), "utf8");
  } catch {
    return null;
  }
  const pid = Number(previous.trim());
  return Number.isInteger(pid) && pid !== process.pid && isAlive(pid) ? pid : null;
}

/** Refuses a second process on the same embedded database folder. */
export async function acquireDataDirLock(dataDir: string) {
  await mkdir(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, "rapport.pid");
  const pid = runningOwner(dataDir);
  if (pid !== null) {
    throw new Error(
      `Another Rapport process (pid ${pid}) is using the embedded database in ${dataDir}. ` +
        "The embedded database serves one instance only; set DATABASE_URL to PostgreSQL to run several.",
    );
  }
  await writeFile(lockPath, String(process.pid));
  process.once("exit", () => {
    rmSync(lockPath, { force: true });
  });
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
