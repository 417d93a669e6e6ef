import type pg from "pg";
import type { PaceBudget } from "./pace-budget.js";

// An unknown limit (Front has not said the company's yet) still records the call.
const NO_LIMIT = 2_147_483_647;

/**
 * The pacer's budget shared by every instance on one database: one call of `pace_take`
 * (pg-schema.ts) per take, atomic under the keys' advisory locks, so that N instances together
 * stay within the channel's and the company's limits, not N times them.
 */
export function createPgPaceBudget(pool: pg.Pool): PaceBudget {
  return {
    take: async (rules, now) => {
      const { rows } = await pool.query<{ at: number }>(
        "SELECT pace_take($1::text[], $2::integer[], $3::bigint[], $4::bigint[], $5) AS at",
        [
          rules.map((rule) => rule.key),
          rules.map((rule) => (Number.isFinite(rule.limit) ? rule.limit : NO_LIMIT)),
          rules.map((rule) => rule.windowMs),
          rules.map((rule) => rule.minIntervalMs),
          now,
        ],
      );
      return rows[0]!.at;
    },
    pause: async (until) =>
      void (await pool.query(
        `INSERT INTO pace_pauses (key, until) VALUES ('front', $1) ON CONFLICT (key)
          DO UPDATE SET until = GREATEST(pace_pauses.until, excluded.until)`,
        [until],
      )),
    close: () => pool.end(),
  };
}
