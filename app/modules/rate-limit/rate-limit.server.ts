/**
 * Fixed-window counters in the database, so every app instance shares them.
 * One atomic upsert per hit: no read-modify-write race between instances.
 */
import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "../db-types.server";
import type { Db } from "../services.server";

export interface Limit {
  /** How many hits the window allows. */
  max: number;
  windowMs: number;
}

export interface LimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** Counts one hit; inside a command's transaction too (a limit that depends on what the command read, or a refusal that must cost no slot). */
export async function hitRateLimit(db: Db | Tx, key: string, limit: Limit, now: Date): Promise<LimitResult> {
  const resetAt = new Date(now.getTime() + limit.windowMs);
  const rows = await db.$queryRaw<{ count: number; resetAt: Date }[]>`
    INSERT INTO "RateLimitBucket" ("key", "count", "resetAt") VALUES (${key}, 1, ${resetAt})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitBucket"."resetAt" <= ${now} THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
      "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= ${now} THEN ${resetAt} ELSE "RateLimitBucket"."resetAt" END
    RETURNING "count", "resetAt"`;
  const row = rows[0]!;
  return {
    allowed: row.count <= limit.max,
    retryAfterSeconds: Math.max(1, Math.ceil((new Date(row.resetAt).getTime() - now.getTime()) / 1000)),
  };
}

/**
 * Several windows counted in one statement (a burst and a steady limit):
 * allowed only when every one is. Keys must differ.
 */
export async function hitRateLimits(db: Db, entries: { key: string; limit: Limit }[], now: Date): Promise<LimitResult> {
  const values = entries.map((e) => Prisma.sql`(${e.key}, 1, ${new Date(now.getTime() + e.limit.windowMs)})`);
  const rows = await db.$queryRaw<{ key: string; count: number; resetAt: Date }[]>`
    INSERT INTO "RateLimitBucket" ("key", "count", "resetAt") VALUES ${Prisma.join(values)}
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitBucket"."resetAt" <= ${now} THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
      "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= ${now} THEN EXCLUDED."resetAt" ELSE "RateLimitBucket"."resetAt" END
    RETURNING "key", "count", "resetAt"`;
  let retryAfterSeconds = 0;
  for (const row of rows) {
    const limit = entries.find((e) => e.key === row.key)!.limit;
    if (row.count > limit.max) retryAfterSeconds = Math.max(retryAfterSeconds, Math.max(1, Math.ceil((new Date(row.resetAt).getTime() - now.getTime()) / 1000)));
  }
  return { allowed: retryAfterSeconds === 0, retryAfterSeconds };
}

/** Reads without counting: is this key already over its limit? */
export async function isRateLimited(db: Db, key: string, limit: Limit, now: Date): Promise<LimitResult> {
  const row = await db.rateLimitBucket.findUnique({ where: { key }, select: { count: true, resetAt: true } });
  if (!row || row.resetAt <= now || row.count < limit.max) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.ceil((row.resetAt.getTime() - now.getTime()) / 1000) };
}

export async function clearRateLimit(db: Db, key: string) {
  await db.rateLimitBucket.deleteMany({ where: { key } });
}

export const LIMITS = {
  loginPerIp: { max: 30, windowMs: 15 * 60_000 },
  /** Failed attempts per account before it is paused for the window. */
  loginFailuresPerAccount: { max: 5, windowMs: 15 * 60_000 },
  signupPerIp: { max: 10, windowMs: 60 * 60_000 },
  passwordResetPerIp: { max: 10, windowMs: 60 * 60_000 },
  passwordResetPerAccount: { max: 3, windowMs: 60 * 60_000 },
} satisfies Record<string, Limit>;
