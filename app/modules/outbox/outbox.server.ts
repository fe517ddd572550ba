/**
 * Transactional outbox. Writers enqueue events in their own transaction; the
 * dispatcher claims batches (FOR UPDATE SKIP LOCKED, so several instances
 * share the work), runs each subscribed handler once per event, and retries
 * with backoff. Delivery is at least once; handlers make it exactly once in
 * effect (a delivery row per handler, and unique keys on what they write).
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Clock, Db, Logger } from "../services.server";
import type { Tx } from "../db-types.server";
import { isDatabaseUnavailable } from "../availability/database-errors";

export interface OutboxEventRow {
  id: bigint;
  type: string;
  payload: unknown;
  attempts: number;
  createdAt: Date;
}

export interface OutboxHandler {
  /** Stable name: it keys the delivery record. */
  name: string;
  handles(type: string): boolean;
  deliver(event: OutboxEventRow): Promise<void>;
}

export async function enqueueOutboxEvent(tx: Tx, type: string, payload: Record<string, unknown>, availableAt?: Date) {
  await tx.outboxEvent.create({
    data: { type, payload: payload as Prisma.InputJsonValue, ...(availableAt ? { availableAt } : {}) },
  });
}

export interface DispatcherOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  handlers: OutboxHandler[];
  batchSize?: number;
  /** After this many failed attempts an event is dead-lettered. */
  maxAttempts?: number;
  /** How long a claimed batch stays ours before another dispatcher may take it. */
  lockMs?: number;
  pollMs?: number;
  /** Done events are deleted this long after they were processed (dead ones stay for /staff/system). */
  retentionMs?: number;
}

/** A week of done events is enough to debug a delivery; every touchpoint adds one, so they must go. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 3_600_000;
const PURGE_EVERY_MS = 3_600_000;
const PURGE_BATCH = 1_000;

/** Deletes done events processed before `before`, a batch at a time; returns how many. */
export async function purgeDoneEvents(db: Db, before: Date, maxBatches = 50) {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    // availableAt <= processedAt for a done event: the condition lets the (status, availableAt) index find them.
    const n = await db.$executeRaw`
      DELETE FROM "OutboxEvent" WHERE "id" IN (
        SELECT "id" FROM "OutboxEvent"
        WHERE "status" = 'done' AND "availableAt" < ${before} AND "processedAt" < ${before}
        ORDER BY "id" LIMIT ${PURGE_BATCH})`;
    total += n;
    if (n < PURGE_BATCH) break;
  }
  return total;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * How long an event whose handler keeps meeting a service that is down (SMTP, Meilisearch, the
 * database) stays pending before it is dead-lettered: an outage of hours must delay mail, not
 * lose it. Like an MTA's queue lifetime. Other failures are dead after DEFAULT_MAX_ATTEMPTS.
 */
export const TRANSIENT_GIVE_UP_MS = 3 * 24 * 3_600_000;

const NETWORK_CODES = new Set([
  "ECONNECTION", // nodemailer: could not connect
  "ETIMEDOUT",
  "ESOCKET",
  "EDNS",
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "EAUTH", // a wrong SMTP password is the operator's to fix; the mail should go once it is
]);

/** A service was away (connection refused, timed out, "try again later"): retry, don't give up. */
export function isTransientFailure(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const { code, responseCode, cause } = current as { code?: unknown; responseCode?: unknown; cause?: unknown };
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    // SMTP 4xx replies mean "not now" (greylisting, a full queue); 5xx mean "never".
    if (typeof responseCode === "number" && responseCode >= 400 && responseCode < 500) return true;
    current = cause;
  }
  return false;
}

/** 2 s, 4 s, 8 s … capped at 10 minutes. */
export function backoffMs(attempts: number) {
  return Math.min(2_000 * 2 ** Math.max(attempts - 1, 0), 10 * 60_000);
}

export function createOutboxDispatcher(options: DispatcherOptions) {
  const batchSize = options.batchSize ?? 50;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const lockMs = options.lockMs ?? 60_000;
  const pollMs = options.pollMs ?? 1_000;
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const { db, clock, logger } = options;
  let lastPurge = 0;

  /** At most hourly, between batches: cheap when there is nothing to delete. */
  async function purgeIfDue() {
    const now = clock.now().getTime();
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    const purged = await purgeDoneEvents(db, new Date(now - retentionMs));
    if (purged) logger.info({ purged }, "outbox: done events purged");
  }

  async function claimBatch(): Promise<OutboxEventRow[]> {
    const now = clock.now();
    const lockedUntil = new Date(now.getTime() + lockMs);
    return db.$queryRaw<OutboxEventRow[]>`
      UPDATE "OutboxEvent" SET "lockedUntil" = ${lockedUntil}
      WHERE "id" IN (
        SELECT "id" FROM "OutboxEvent"
        WHERE "status" = 'pending' AND "availableAt" <= ${now}
          AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now})
        ORDER BY "id" LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING "id", "type", "payload", "attempts", "createdAt"`;
  }

  async function deliverEvent(event: OutboxEventRow) {
    const done = new Set(
      (await db.outboxDelivery.findMany({ where: { eventId: event.id }, select: { handler: true } })).map((d) => d.handler),
    );
    for (const handler of options.handlers) {
      if (!handler.handles(event.type) || done.has(handler.name)) continue;
      await handler.deliver(event);
      await db.outboxDelivery.createMany({ data: [{ eventId: event.id, handler: handler.name }], skipDuplicates: true });
    }
  }

  async function runOnce() {
    const batch = (await claimBatch()).sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const event of batch) {
      try {
        await deliverEvent(event);
        await db.outboxEvent.update({
          where: { id: event.id },
          data: { status: "done", processedAt: clock.now(), lockedUntil: null, lastError: null },
        });
      } catch (error) {
        const attempts = event.attempts + 1;
        const young = clock.now().getTime() - new Date(event.createdAt).getTime() < TRANSIENT_GIVE_UP_MS;
        const dead = attempts >= maxAttempts && !(young && isTransientFailure(error));
        const message = error instanceof Error ? error.message : String(error);
        logger.warn({ eventId: String(event.id), type: event.type, attempts, dead, err: message }, "outbox delivery failed");
        await db.outboxEvent.update({
          where: { id: event.id },
          data: {
            attempts,
            status: dead ? "dead" : "pending",
            availableAt: new Date(clock.now().getTime() + backoffMs(attempts)),
            lockedUntil: null,
            lastError: message.slice(0, 2000),
          },
        });
      }
    }
    return batch.length;
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  let again = false;

  async function drain() {
    do {
      again = false;
      while (!stopped && (await runOnce()) === batchSize) {
        /* a full batch: there may be more */
      }
    } while (again && !stopped);
    if (!stopped) await purgeIfDue();
  }

  function tick() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error) => logger.error({ err: error }, "outbox dispatcher failed"))
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  }

  return {
    runOnce,
    /** Deliver everything due now (tests, CLI). */
    async drainNow() {
      let n = 0;
      let total = 0;
      do {
        n = await runOnce();
        total += n;
      } while (n > 0);
      return total;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      tick();
    },
    /** Wake up now instead of at the next poll (called after a commit). */
    kick() {
      if (stopped) return;
      if (timer) clearTimeout(timer);
      timer = null;
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export type OutboxDispatcher = ReturnType<typeof createOutboxDispatcher>;

export async function listDeadEvents(db: Db, limit = 100) {
  return db.outboxEvent.findMany({
    where: { status: "dead" },
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, type: true, attempts: true, lastError: true, createdAt: true, availableAt: true },
  });
}

export async function outboxStats(db: Db) {
  const rows = await db.outboxEvent.groupBy({ by: ["status"], _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all])) as Partial<Record<"pending" | "done" | "dead", number>>;
}

/**
 * The backlog /staff/system shows. Waiting: pending events that are due or are being retried after
 * a failure; scheduled: pending events written for later (a task's reminder day, a chat mail's
 * delay), which are no backlog yet. The oldest waiting event's due time is when it was first due:
 * its availableAt until a failure moves that on, then its createdAt.
 */
export async function outboxBacklog(db: Db, now: Date) {
  const [row] = await db.$queryRaw<{ waiting: number; scheduled: number; dead: number; oldestDueAt: Date | null }[]>`
    SELECT
      count(*) FILTER (WHERE "status" = 'pending' AND ("attempts" > 0 OR "availableAt" <= ${now}))::int AS "waiting",
      count(*) FILTER (WHERE "status" = 'pending' AND "attempts" = 0 AND "availableAt" > ${now})::int AS "scheduled",
      count(*) FILTER (WHERE "status" = 'dead')::int AS "dead",
      min(CASE WHEN "attempts" = 0 THEN "availableAt" ELSE "createdAt" END)
        FILTER (WHERE "status" = 'pending' AND ("attempts" > 0 OR "availableAt" <= ${now})) AS "oldestDueAt"
    FROM "OutboxEvent" WHERE "status" <> 'done'`;
  return {
    waiting: row?.waiting ?? 0,
    scheduled: row?.scheduled ?? 0,
    dead: row?.dead ?? 0,
    oldestDueAt: row?.oldestDueAt ? new Date(row.oldestDueAt) : null,
  };
}

/** Gives a dead event a fresh set of attempts. */
export async function retryDeadEvent(db: Db, id: bigint, now: Date) {
  const updated = await db.outboxEvent.updateMany({
    where: { id, status: "dead" },
    data: { status: "pending", attempts: 0, availableAt: now, lockedUntil: null },
  });
  return updated.count === 1;
}
