/** How fast a staff member usually answers. */
import type { Services } from "../services.server";

/**
 * "Usually replies within …": the median wait this staff member's replies
 * ended over the last 30 days, or null with fewer than 3 of them (too few to
 * promise anything).
 */
export async function typicalReplySeconds(services: Pick<Services, "db" | "clock">, staffId: string) {
  const since = new Date(services.clock.now().getTime() - 30 * 86_400_000);
  const [row] = await services.db.$queryRaw<{ n: number; median: number | null }[]>`
    SELECT count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY "responseSeconds")::float8 AS median
    FROM "ChatMessage" WHERE "senderId" = ${staffId} AND "responseSeconds" IS NOT NULL AND "createdAt" >= ${since}`;
  return row && row.n >= 3 && row.median !== null ? Math.round(row.median) : null;
}
