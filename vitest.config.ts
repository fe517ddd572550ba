import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// The integration suite runs on a fresh PGlite per file, and again on
// PostgreSQL when TEST_DATABASE_URL is set (.ci/run sets it).
const postgres = process.env.TEST_DATABASE_URL;

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true as const,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts", "app/**/*.test.ts"] },
      },
      {
        extends: true as const,
        test: { name: "pglite", include: ["tests/integration/**/*.test.ts"], env: { RAPPORT_TEST_DB: "pglite" } },
      },
      ...(postgres
        ? [
            {
              extends: true as const,
              test: {
                name: "postgres",
                include: ["tests/integration/**/*.test.ts"],
                env: { RAPPORT_TEST_DB: "postgres" },
              },
            },
          ]
        : []),
    ],
  },
});
