/**
 * Compiles the server and its command-line tools to plain JavaScript in build/server-node/, so a
 * production host or container runs them with `node` alone (docs/deploy/). Packages stay
 * external: they are loaded from node_modules as tsx would load them.
 *
 * Output files sit two folders below the project root, as their sources do (server/db/*.ts
 * finds prisma/ at ../../prisma), so chunks are kept in the same folder as the entries.
 */
import { rm } from "node:fs/promises";
import { build, type Plugin } from "esbuild";

const OUT_DIR = "build/server-node";

/** Bare imports (packages, node: built-ins) stay imports; `~/` is ours (tsconfig paths), so it is bundled. */
const packagesExternal: Plugin = {
  name: "packages-external",
  setup(b) {
    b.onResolve({ filter: /^[^./~]/ }, (args) => ({ path: args.path, external: true }));
  },
};

await rm(OUT_DIR, { recursive: true, force: true });
const result = await build({
  entryPoints: {
    main: "server/main.ts",
    "user-role": "server/user-role.ts",
    "db-backup": "server/db-backup.ts",
    "search-reindex": "server/search-reindex.ts",
    "db-cli": "prisma/cli.ts",
  },
  outdir: OUT_DIR,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  plugins: [packagesExternal],
  sourcemap: true,
  logLevel: "warning",
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`server compiled into ${OUT_DIR} (${Math.round(bytes / 1024)} KiB)`);
