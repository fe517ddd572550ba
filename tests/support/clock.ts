import type { Clock } from "../../app/modules/services.server.ts";

/** A clock that stands still until a test moves it: token expiry, rate-limit windows. */
export interface MovableClock extends Clock {
  advance(ms: number): void;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export function movableClock(start = new Date()): MovableClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms) {
      now += ms;
    },
  };
}
