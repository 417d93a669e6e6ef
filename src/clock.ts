import { setTimeout as delay } from "node:timers/promises";

/** Time as the bridge sees it; tests pass a manual clock. */
export interface Clock {
  now: () => number;
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    delay(Math.max(0, ms), undefined, signal ? { signal } : undefined).catch(() => undefined),
};
