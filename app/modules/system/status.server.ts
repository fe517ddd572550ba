/**
 * What /staff/system shows: whether each service the portal depends on answers, the outbox's
 * backlog, and how this process fares. Read-only; the page checks the permission. Each probe is
 * bounded, so a service that hangs shows as unreachable instead of holding the page.
 */
import { performance } from "node:perf_hooks";
import type { Services } from "../services.server";
import { outboxBacklog } from "../outbox/outbox.server";
import { readMailServerStatus } from "../mail/mailer.server";

const PROBE_TIMEOUT_MS = 2_000;

export interface Reachability {
  reachable: boolean;
  /** How long the probe took to answer; null when it did not. */
  latencyMs: number | null;
  /** How long it was given. */
  timeoutMs: number;
}

/** Runs a probe within PROBE_TIMEOUT_MS and times it. */
async function timed(probe: () => Promise<unknown>): Promise<Reachability> {
  const started = performance.now();
  let timeout: NodeJS.Timeout | undefined;
  const answered = await Promise.race([
    probe().then(
      (result) => result !== false,
      () => false,
    ),
    new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS))),
  ]);
  clearTimeout(timeout);
  return { reachable: answered, latencyMs: answered ? Math.round((performance.now() - started) * 10) / 10 : null, timeoutMs: PROBE_TIMEOUT_MS };
}

export async function readSystemStatus(services: Pick<Services, "db" | "search" | "availability" | "runtime" | "clock">) {
  const { db, runtime } = services;
  const now = services.clock.now();
  // One after another: on the embedded database the queries would queue anyway, and the
  // database's latency is measured on a quiet connection.
  const database = await timed(() => services.availability.probe(PROBE_TIMEOUT_MS));
  const search = await timed(() => services.search.ping());
  const outbox = await outboxBacklog(db, now);
  const mailServer = runtime.smtpConfigured ? await readMailServerStatus(db) : null;
  const wallNow = Date.now();
  return {
    checkedAt: now,
    database: { kind: runtime.databaseKind, ...database },
    search: { engine: services.search.name, ...search },
    mail: {
      smtpConfigured: runtime.smtpConfigured,
      lastOkAt: mailServer?.lastOkAt ?? null,
      lastFailedAt: mailServer?.lastFailedAt ?? null,
      lastError: mailServer?.lastError ?? null,
    },
    outbox: { ...outbox, oldestAgeMs: outbox.oldestDueAt ? Math.max(0, now.getTime() - outbox.oldestDueAt.getTime()) : null },
    process: {
      version: runtime.version,
      startedAt: runtime.startedAt,
      // The process's own time, not the services' clock (tests move that one).
      uptimeMs: wallNow - runtime.startedAt.getTime(),
      eventLoopDelay: runtime.eventLoopDelay(),
    },
  };
}

export type SystemStatus = Awaited<ReturnType<typeof readSystemStatus>>;
