/**
 * What this process is and how it fares, for /staff/system: its version, when it started (its
 * last restart, whether by a deploy or by its supervisor after a crash) and how late its event
 * loop runs.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import pkg from "../package.json";
import type { EventLoopDelay, RuntimeInfo } from "../app/modules/services.server.ts";

/** Figures over the last full minute: long enough to catch a spike, short enough to be current. */
const WINDOW_MS = 60_000;

const NS_PER_MS = 1e6;

export function createRuntimeInfo(facts: Pick<RuntimeInfo, "databaseKind" | "smtpConfigured">): RuntimeInfo & { stop(): void } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const read = (): EventLoopDelay => ({
    p50Ms: histogram.percentile(50) / NS_PER_MS,
    p99Ms: histogram.percentile(99) / NS_PER_MS,
    maxMs: histogram.max / NS_PER_MS,
    windowMs: WINDOW_MS,
  });
  let lastWindow: EventLoopDelay | null = null;
  const timer = setInterval(() => {
    lastWindow = read();
    histogram.reset();
  }, WINDOW_MS);
  timer.unref();
  return {
    ...facts,
    version: pkg.version,
    startedAt: new Date(Date.now() - process.uptime() * 1000),
    // Until the first minute is over, what was measured so far.
    eventLoopDelay: () => lastWindow ?? { ...read(), windowMs: Math.round(process.uptime() * 1000) },
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
