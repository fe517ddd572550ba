/**
 * The app's real Remix routes for a test server, as `npm run dev` serves them (Vite's SSR of
 * vite.config.ts), without `npm run build`: pass `remix` to startTestServer. No HMR socket (its
 * fixed port would clash with a developer's `npm run dev`) and no dependency pre-bundling
 * (only the server renders here, and its cache must not be shared with other runs).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { HttpOptions } from "../../server/http.ts";

export interface RemixDev {
  remix: HttpOptions["remix"];
  close(): Promise<void>;
}

export async function remixDevRoutes(): Promise<RemixDev> {
  const vite = await import("vite");
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), "rapport-vite-"));
  const devServer = await vite.createServer({
    configFile: path.resolve(import.meta.dirname, "../../vite.config.ts"),
    root: path.resolve(import.meta.dirname, "../.."),
    cacheDir,
    logLevel: "silent",
    clearScreen: false,
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  return {
    remix: {
      mode: "vite",
      middlewares: devServer.middlewares as never,
      loadBuild: () => devServer.ssrLoadModule("virtual:remix/server-build") as never,
    },
    async close() {
      await devServer.close();
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}
