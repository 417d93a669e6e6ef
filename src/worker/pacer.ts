import type { RateLimitInfo } from "../clients/front-errors.js";
import type { Clock } from "../clock.js";

/**
 * Paces calls to Front: at most one request per `minIntervalMs` per resource (Front allows about 5
 * per second per channel), and a pause for everyone after a 429 or an exhausted rate-limit window
 * (the limit is per company, not per token).
 */
export interface Pacer {
  acquire: (resource: string) => Promise<void>;
  observe: (rate: RateLimitInfo) => void;
}

export interface PacerOptions {
  clock: Clock;
  minIntervalMs?: number;
  /** Never pause longer than this on the word of a header, in case of clock skew. */
  maxPauseMs?: number;
}

export function createPacer(options: PacerOptions): Pacer {
  const { clock } = options;
  const minInterval = options.minIntervalMs ?? 200;
  const maxPause = options.maxPauseMs ?? 60_000;
  const nextSlot = new Map<string, number>();
  let pausedUntil = 0;

  return {
    async acquire(resource) {
      const now = clock.now();
      const at = Math.max(now, nextSlot.get(resource) ?? 0, pausedUntil);
      nextSlot.set(resource, at + minInterval);
      if (at > now) await clock.sleep(at - now);
    },
    observe(rate) {
      const now = clock.now();
      let until = 0;
      if (rate.retryAfterMs !== undefined) until = now + rate.retryAfterMs;
      else if (rate.remaining === 0 && rate.resetAt !== undefined) until = rate.resetAt;
      pausedUntil = Math.max(pausedUntil, Math.min(until, now + maxPause));
    },
  };
}
