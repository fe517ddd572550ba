/**
 * The composition root's entry point: `npm start` (production), `npm run demo`
 * (production build, embedded database, demo data) and `npm run dev` (Vite).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { existsSync } from "node:fs";
import { pino } from "pino";
import { loadConfig, ConfigError } from "./config.ts";
import { startServer } from "./start.ts";
import type { HttpOptions } from "./http.ts";
import { seedDemoData, indexSeededDemo, DEMO_PASSWORD } from "../prisma/seed.ts";
import { pictureSeededProducts } from "../prisma/seed-pictures.ts";
import { acquireDataDirLock } from "./db/lock.ts";
import { answerBackupRequests } from "./db/backup.ts";

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel });
  if (config.database.kind === "pglite") {
    // PGlite is one process's database; a second instance would corrupt it.
    await acquireDataDirLock(config.dataDir);
  }

  let remix: HttpOptions["remix"];
  if (config.env === "development") {
    const vite = await import("vite");
    const devServer = await vite.createServer({ server: { middlewareMode: true } });
    remix = {
      mode: "vite",
      middlewares: devServer.middlewares as never,
      loadBuild: () => devServer.ssrLoadModule("virtual:remix/server-build") as never,
    };
  } else {
    const buildDir = path.resolve("build");
    const serverEntry = path.join(buildDir, "server/index.js");
    if (!existsSync(serverEntry)) {
      console.error("No production build found. Run `npm run build` first.");
      process.exit(1);
    }
    remix = { mode: "build", build: await import(pathToFileURL(serverEntry).href), clientDir: path.join(buildDir, "client") };
  }

  const server = await startServer(config, remix, {
    logger,
    beforeListen: async (services) => {
      if (!config.demo) return;
      const seeded = await seedDemoData(services.db);
      if (!seeded.created) return;
      logger.info("seeded demo data");
      await pictureSeededProducts(services);
      // Searchable from the first start, not a few outbox polls later.
      await indexSeededDemo(services);
      logger.info("indexed demo data for search");
    },
  });

  // `npm run db:backup` asks this process for a consistent copy of the embedded database.
  if (config.database.kind === "pglite") answerBackupRequests(server.services.database, config.dataDir, logger);

  const where = config.database.kind === "pglite" ? `embedded PGlite in ${config.dataDir}` : "PostgreSQL";
  console.log(`\nRapport is running at ${config.publicUrl} (port ${server.port}, ${where})`);
  if (config.demo) {
    console.log(`Demo logins (password "${DEMO_PASSWORD}"):`);
    console.log("  admin@rapport.local");
    console.log("  staff1@rapport.local … staff3@rapport.local");
    console.log("  member1@rapport.local … member30@rapport.local");
    if (server.services.settings.devMailbox) console.log(`Mail is kept, not sent: ${config.publicUrl}/dev/mail`);
  }
  console.log("");

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      logger.info({ signal }, "draining");
      server.stop().then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
