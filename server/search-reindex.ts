/**
 * npm run search:reindex [-- --fresh]
 * Rebuilds the search index from the database with a progress bar. Ctrl-C
 * finishes the current batch, saves the cursor and exits; the next run
 * resumes there (--fresh starts over). On the embedded database, stop the
 * app first: PGlite belongs to one process.
 */
import { loadConfig } from "./config.ts";
import { openDatabase } from "./db/open.ts";
import { createSearchEngine } from "../app/modules/search/search.server.ts";
import { reindexSearch, type ReindexProgress } from "../app/modules/search/indexing.server.ts";

function bar({ kind, done, total }: ReindexProgress) {
  const width = 30;
  const share = total ? Math.min(done / total, 1) : 1;
  const filled = Math.round(share * width);
  return `${kind.padEnd(8)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${done}/${total}`;
}

async function main() {
  const config = loadConfig();
  const opened = await openDatabase(config.database);
  const search = createSearchEngine(opened.db, config.meili);
  let stop = false;
  process.on("SIGINT", () => {
    if (stop) process.exit(130);
    stop = true;
    process.stderr.write("\nStopping after this batch (Ctrl-C again to quit at once)…\n");
  });
  const tty = process.stderr.isTTY;
  let lastKind = "";
  const started = Date.now();
  try {
    const finished = await reindexSearch(
      { db: opened.db, search },
      {
        fresh: process.argv.includes("--fresh"),
        shouldStop: () => stop,
        onProgress(progress) {
          if (progress.kind !== lastKind && lastKind && tty) process.stderr.write("\n");
          lastKind = progress.kind;
          // A terminal gets one redrawn line per kind; a log gets the finished kinds.
          if (tty) process.stderr.write(`\r${bar(progress)}`);
          else if (progress.done >= progress.total) process.stderr.write(`${bar(progress)}\n`);
        },
      },
    );
    if (tty) process.stderr.write("\n");
    if (finished) console.log(`Search index rebuilt with ${search.name} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    else {
      console.log("Interrupted. Run `npm run search:reindex` again to resume where it stopped.");
      process.exitCode = 130;
    }
  } finally {
    await opened.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
