/**
 * What the process believes about its database between health checks. A request that failed
 * because the database is gone marks it down; while down, a probe runs every half second and
 * pages are answered 503 at once (the pool is not asked to connect for each of them), until a
 * probe answers and the first request after it goes through again.
 */
import type { Logger } from "../../app/modules/services.server.ts";

export interface DatabaseAvailability {
  isDown(): boolean;
  /** A query failed with a database-unavailable error. */
  reportFailure(error: unknown): void;
  /** Runs `SELECT 1` within `timeoutMs`; true when it answered. Updates the state. */
  probe(timeoutMs?: number): Promise<boolean>;
  stop(): void;
}

export function createDatabaseAvailability(ping: () => Promise<unknown>, logger: Logger, probeEveryMs = 500): DatabaseAvailability {
  let down = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function probe(timeoutMs = 2_000) {
    let timeout: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      ping().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timeout);
    if (answered && down) {
      down = false;
      logger.info({}, "database answers again");
    } else if (!answered && !down) {
      markDown();
    }
    return answered;
  }

  function markDown() {
    if (down || stopped) return;
    down = true;
    logger.warn({}, "database unavailable: answering 503 until it is back");
    const loop = async () => {
      timer = null;
      if (stopped || !down) return;
      await probe();
      if (down && !stopped) timer = setTimeout(() => void loop(), probeEveryMs);
    };
    timer = setTimeout(() => void loop(), probeEveryMs);
  }

  return {
    isDown: () => down,
    reportFailure(error) {
      logger.warn({ err: error }, "database unavailable");
      markDown();
    },
    probe,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
