import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../server/db/open.ts";
import { answerBackupRequests, requestBackupFromRunningApp, restoreEmbeddedBackup } from "../../../server/db/backup.ts";
import { backupCommand } from "../../../server/db-backup.ts";
import { createUser } from "../../factories/users.ts";
import { usingPostgres } from "../../support/services.ts";

// The embedded database only; it runs once, with the PGlite project.
describe.skipIf(usingPostgres)("backing up and restoring the embedded database", () => {
  const folders: string[] = [];
  const folder = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "rapport-backup-"));
    folders.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of folders) await rm(dir, { recursive: true, force: true });
  });

  it("a backup asked of the running app while it writes holds every write acknowledged before it, and restores into a working database", async () => {
    const dataDir = await folder();
    const live = await openDatabase({ kind: "pglite", dataDir });
    const stopAnswering = answerBackupRequests(live, dataDir, pino({ level: "silent" }));
    const acknowledged: string[] = [];
    let writing = true;
    const writer = (async () => {
      while (writing) {
        acknowledged.push((await createUser(live.db, { passwordHash: "unused" })).email);
        // In-process PGlite answers without leaving the microtask queue: yield, as requests arriving over the network would.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = [...acknowledged];
    const target = path.join(dataDir, "backups", "now.tar.gz");
    // As `npm run db:backup` does it: a request file and SIGUSR2 to the app's pid (here, this process).
    await requestBackupFromRunningApp(dataDir, process.pid, target);
    writing = false;
    await writer;
    stopAnswering();
    await live.close();
    expect(before.length).toBeGreaterThan(0);

    const elsewhere = await folder();
    await restoreEmbeddedBackup(elsewhere, target);
    const restored = await openDatabase({ kind: "pglite", dataDir: elsewhere });
    try {
      const emails = new Set((await restored.db.user.findMany({ select: { email: true } })).map((u) => u.email));
      expect(before.filter((email) => !emails.has(email))).toEqual([]);
      // Not a half-written copy: it takes writes, and no migration was pending.
      expect(restored.applied).toEqual([]);
      await expect(createUser(restored.db, { passwordHash: "unused" })).resolves.toBeTruthy();
    } finally {
      await restored.close();
    }
  }, 120_000);

  it("restoring a file that is not a backup keeps the live database as it was", async () => {
    const dataDir = await folder();
    const first = await openDatabase({ kind: "pglite", dataDir });
    const kept = await createUser(first.db, { passwordHash: "unused" });
    await first.close();
    const junk = path.join(dataDir, "junk.tar.gz");
    await writeFile(junk, "this is not a tarball");
    await expect(restoreEmbeddedBackup(dataDir, junk)).rejects.toThrow();
    const again = await openDatabase({ kind: "pglite", dataDir });
    try {
      expect(await again.db.user.findUnique({ where: { id: kept.id }, select: { id: true } })).toEqual({ id: kept.id });
    } finally {
      await again.close();
    }
  }, 60_000);

  it("the command line points PostgreSQL installs to pg_dump, and explains its usage", async () => {
    expect(await backupCommand(["backup"], { DATABASE_URL: "postgresql://x@127.0.0.1:5432/x" })).toMatchObject({ code: 2, line: expect.stringMatching(/pg_dump/) });
    expect(await backupCommand(["restore"], { DATA_DIR: await folder() })).toMatchObject({ code: 2, line: expect.stringMatching(/^Usage/) });
  });
});
