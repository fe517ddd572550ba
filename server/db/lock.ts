import { rmSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** Refuses a second process on the same embedded database folder. */
export async function acquireDataDirLock(dataDir: string) {
  await mkdir(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, "rapport.pid");
  const previous = await readFile(lockPath, "utf8").catch(() => null);
  const pid = previous ? Number(previous.trim()) : NaN;
  if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
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
