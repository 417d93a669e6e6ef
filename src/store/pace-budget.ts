/**
 * Where the pacer keeps the calls it granted, so that a limit holds for every process that shares
 * the budget: in memory for one bridge (the default), in the database for several (pg-pace-budget).
 */
export interface PaceRule {
  /** What the limit applies to: a channel, or the whole company. */
  key: string;
  /** At most `limit` calls in any `windowMs`. */
  limit: number;
  windowMs: number;
  /** And no two closer than this. */
  minIntervalMs: number;
}

export interface PaceBudget {
  /**
   * Atomically: when every rule (and any pause) allows a call at `now`, records it under each key
   * and returns `now`; otherwise records nothing and returns the earliest time to ask again.
   */
  take(rules: readonly PaceRule[], now: number): Promise<number>;
  /** Nothing is granted before `until` (Front asked to wait). */
  pause(until: number): Promise<void>;
  close(): Promise<void>;
}

/** The budget of one process. */
export function createMemoryPaceBudget(): PaceBudget {
  const grants = new Map<string, number[]>();
  let pausedUntil = 0;

  /** The earliest time a new call fits under the rule, given its past grants. */
  function earliest(rule: PaceRule, now: number): number {
    const past = grants.get(rule.key) ?? [];
    grants.set(rule.key, past);
    while (past.length > 0 && past[0]! <= now - rule.windowMs) past.shift();
    const fits = past.length < rule.limit ? now : past[past.length - rule.limit]! + rule.windowMs;
    return Math.max(fits, (past.at(-1) ?? -Infinity) + rule.minIntervalMs);
  }

  return {
    take: async (rules, now) => {
      const at = Math.max(now, pausedUntil, ...rules.map((rule) => earliest(rule, now)));
      if (at <= now) for (const rule of rules) grants.get(rule.key)!.push(now);
      return at;
    },
    pause: async (until) => {
      pausedUntil = Math.max(pausedUntil, until);
    },
    close: async () => undefined,
  };
}
