import type { RateLimitInfo } from "../clients/front-errors.js";
import type { Clock } from "../clock.js";
import { createMemoryPaceBudget, type PaceBudget, type PaceRule } from "../store/pace-budget.js";

/**
 * Paces calls to Front so that its limits are met rather than discovered (front-api.md §9):
 * - per resource (a channel): at most `burst.count` calls in any `burst.windowMs`, and no two
 *   closer than `minIntervalMs` (Front allows about 5 per second per channel; the window is a
 *   tenth longer than a second so that network jitter cannot put six in Front's second);
 * - per company, shared by every channel of the bridge: at most `x-ratelimit-limit` calls in any
 *   window of `companyWindowMs` (a minute), once Front has told the limit;
 * - nothing at all while Front has asked to wait (Retry-After), or until the reset when it says
 *   the budget is spent. A caller that was already waiting for its slot checks again when it wakes,
 *   so a 429 that arrives meanwhile holds it back too.
 * The grants live in a budget: this process's memory, or the shared database when several
 * instances call Front for one company.
 */
export interface Pacer {
  acquire: (resource: string) => Promise<void>;
  observe: (rate: RateLimitInfo) => void;
}

export interface PacerOptions {
  clock: Clock;
  /** Least time between two calls for one resource (default 200 ms). */
  minIntervalMs?: number;
  /** At most `count` calls per resource in any `windowMs` (default 5 in 1 100 ms). */
  burst?: { count: number; windowMs: number };
  /** The company window Front's x-ratelimit-limit applies to (default one minute, plus a margin). */
  companyWindowMs?: number;
  /** Never pause longer than this on the word of a header, in case of clock skew. */
  maxPauseMs?: number;
  /** Where grants are kept (default: in memory, for this process alone). */
  budget?: PaceBudget;
}

export function createPacer(options: PacerOptions): Pacer {
  const { clock } = options;
  const minInterval = options.minIntervalMs ?? 200;
  const burst = options.burst ?? { count: 5, windowMs: 1_100 };
  const companyWindow = options.companyWindowMs ?? 60_500;
  const maxPause = options.maxPauseMs ?? 60_000;
  const budget = options.budget ?? createMemoryPaceBudget();
  let companyLimit: number | undefined;
  // Also kept here: a pause holds this process back at once, before the shared write lands.
  let pausedUntil = 0;

  const rules = (resource: string): PaceRule[] => [
    {
      key: `resource:${resource}`,
      limit: burst.count,
      windowMs: burst.windowMs,
      minIntervalMs: minInterval,
    },
    { key: "company", limit: companyLimit ?? Infinity, windowMs: companyWindow, minIntervalMs: 0 },
  ];

  return {
    async acquire(resource) {
      for (;;) {
        const now = clock.now();
        const at = pausedUntil > now ? pausedUntil : await budget.take(rules(resource), now);
        if (at <= now) return;
        await clock.sleep(at - now);
      }
    },
    observe(rate) {
      const now = clock.now();
      if (rate.limit !== undefined && rate.limit > 0) companyLimit = rate.limit;
      let until = 0;
      if (rate.retryAfterMs !== undefined) until = now + rate.retryAfterMs;
      else if (rate.remaining === 0 && rate.resetAt !== undefined) until = rate.resetAt;
      until = Math.min(until, now + maxPause);
      if (until <= pausedUntil) return;
      pausedUntil = until;
      // Shared so that the other instances wait too; if the write fails, each of them learns
      // the same from its own next 429.
      void budget.pause(until).catch(() => undefined);
    },
  };
}
