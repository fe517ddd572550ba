/**
 * Whether an error means "the database is not there right now" (restarting, failing over,
 * unreachable, or every pooled connection busy), as opposed to a bug or bad data. Such a
 * request is answered 503 with Retry-After, and a socket event with the `unavailable` ack,
 * so the client tries again instead of showing an internal error.
 */

// Prisma: can't reach (P1001), timed out reaching (P1002), operation timed out (P1008), server
// closed the connection (P1017), timed out waiting for a pooled connection (P2024).
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// SQLSTATE class 08 (connection exception), 57P01–57P03 (admin/crash shutdown, cannot connect
// now), 53300 (too many connections); Node's socket errors.
const SQLSTATE = /^(08\d{3}|57P0[123]|53300)$/;
const ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH"]);
const MESSAGES =
  /Can't reach database server|Connection terminated|not queryable|timeout exceeded when trying to connect|Unable to start a transaction in the given time|Server has closed the connection|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Code: `(08\d{3}|57P0[123]|53300)`/;

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && (PRISMA_CODES.has(code) || SQLSTATE.test(code) || ERRNO.has(code))) return true;
    if (typeof message === "string" && MESSAGES.test(message)) return true;
    current = cause;
  }
  return false;
}

/** Seconds a client is asked to wait before trying again: a PostgreSQL restart takes a few. */
export const RETRY_AFTER_SECONDS = 5;
