import type { Logger } from "./log.js";

export interface LogThrottle {
  /**
   * Logs `message` at once the first time for `key`; repeats within `intervalMs` are counted, and at
   * most one line per interval says how many there were.
   */
  error(key: string, message: string): void;
  /** Stops the pending timers (on shutdown). */
  stop(): void;
}

/**
 * For faults that repeat on every request or poll (a full disk): the cause is logged once, then one
 * line every few seconds with a count, instead of a line per failure.
 */
export function createLogThrottle(options: { logger: Logger; intervalMs?: number }): LogThrottle {
  const intervalMs = options.intervalMs ?? 5_000;
  const every = intervalMs >= 1000 ? `${Math.round(intervalMs / 1000)} s` : `${intervalMs} ms`;
  const open = new Map<string, { repeats: number; message: string; timer: NodeJS.Timeout }>();

  function close(key: string) {
    const entry = open.get(key);
    if (!entry) return;
    open.delete(key);
    if (entry.repeats > 0) {
      options.logger.error(
        `${entry.message} (repeated ${entry.repeats} time(s) in the last ${every})`,
      );
      // A line was just printed: repeats in the next interval are counted again.
      start(key, entry.message, 0);
    }
  }

  function start(key: string, message: string, repeats: number) {
    const timer = setTimeout(() => close(key), intervalMs);
    timer.unref();
    open.set(key, { repeats, message, timer });
  }

  return {
    error(key, message) {
      const entry = open.get(key);
      if (entry) {
        entry.repeats += 1;
        entry.message = message;
        return;
      }
      options.logger.error(message);
      start(key, message, 0);
    },
    stop() {
      for (const entry of open.values()) clearTimeout(entry.timer);
      open.clear();
    },
  };
}
