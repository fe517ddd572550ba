import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../server/db/open.ts";
import { usingPostgres } from "../../support/services.ts";

/**
 * Starts the writer and SIGKILLs it a random moment after its first acknowledged write (not after
 * it said ready: on a loaded machine the first write can take longer than the whole window, and
 * the round would kill a writer that never wrote); returns the acknowledged ids.
 */
function writeThenKill(dataDir: string, afterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/pglite-writer.ts", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    const acknowledged: string[] = [];
    let buffered = "";
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        if (!line || line === "ready") continue;
        if (acknowledged.push(line) === 1) setTimeout(() => child.kill("SIGKILL"), afterMs);
      }
    });
    child.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve(acknowledged) : reject(new Error(`writer ended by itself: ${errors}`))));
  });
}

// PGlite writes its files from this process: a SIGKILL mid-write must leave a folder PostgreSQL
// recovers, holding every write that was acknowledged. Once, with the PGlite project.
describe.skipIf(usingPostgres)("the embedded database killed during writes", () => {
  const folders: string[] = [];
  afterAll(async () => {
    for (const dir of folders) await rm(dir, { recursive: true, force: true });
  });

  it("killed 20 times at random points, it opens every time and holds every acknowledged write", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "rapport-crash-"));
    folders.push(dataDir);
    const acknowledged: string[] = [];
    for (let round = 0; round < 20; round++) acknowledged.push(...(await writeThenKill(dataDir, 50 + Math.floor(Math.random() * 400))));
    // At least one acknowledged write per round, each round killed while writing.
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);

    const opened = await openDatabase({ kind: "pglite", dataDir });
    try {
      const stored = new Set((await opened.db.mailMessage.findMany({ select: { id: true } })).map((m) => m.id));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      // Readable through its indexes too, and still writable.
      const some = acknowledged[Math.floor(acknowledged.length / 2)]!;
      expect(await opened.db.mailMessage.findUnique({ where: { id: some }, select: { id: true } })).toEqual({ id: some });
      await expect(opened.db.mailMessage.create({ data: { to: "after@example.test", subject: "s", text: "t" } })).resolves.toBeTruthy();
    } finally {
      await opened.close();
    }
  }, 240_000);
});
