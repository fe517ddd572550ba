import { execSync } from "node:child_process";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3310);
const BASE_URL = `http://localhost:${PORT}`;
// Per port, so two runs on one machine (E2E_PORT) never wipe each other's database.
const DATA_DIR = path.resolve(`tests/.tmp/e2e-data-${PORT}`);

/** Debian's chromium, a given path, or Playwright's own download, whichever exists. */
function chromiumPath() {
  if (process.env.PLAYWRIGHT_CHROMIUM_PATH) return process.env.PLAYWRIGHT_CHROMIUM_PATH;
  try {
    return execSync("command -v chromium", { encoding: "utf8", shell: "/bin/sh" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "tests/.tmp/e2e-results",
  fullyParallel: false,
  // Two cores, and PGlite answers one query at a time.
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 45_000,
  expect: { timeout: 7_000 },
  reporter: [["list"]],
  use: {
    baseURL: BASE_URL,
    locale: "en-US",
    trace: "retain-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    // A fresh embedded database with the demo data, on the production build.
    command: `rm -rf "${DATA_DIR}" && npx tsx server/main.ts`,
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      RAPPORT_DEMO: "1",
      DATA_DIR,
      PORT: String(PORT),
      HOST: "127.0.0.1",
      PUBLIC_URL: BASE_URL,
      LOG_LEVEL: "warn",
      // Every test logs in from 127.0.0.1; the per-address limit is for the wide internet.
      LOGIN_MAX_PER_IP: "1000",
    },
  },
});
