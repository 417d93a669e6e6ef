import type pg from "pg";
import type { Fact, FactFigures } from "./store.js";

const IN_WINDOW = "route = $1 AND at >= $2 AND at < $3";

/**
 * The facts `front-twilio report` reads (PostgreSQL migration 2), as the SQLite store keeps them
 * (sqlite-facts.ts): one row per thing done, counted per route over the (route, at) index, the
 * medians computed by the database.
 */
export function createPgFacts(pool: pg.Pool) {
  return {
    recordFact: async (fact: Fact): Promise<void> => {
      await pool.query(
        `INSERT INTO facts (route, kind, ref, at, code, latency_ms) VALUES ($1, $2, $3, $4, $5, $6)
          ON CONFLICT (kind, ref) DO NOTHING`,
        [fact.route, fact.kind, fact.ref, fact.at, fact.code ?? null, fact.latencyMs ?? null],
      );
    },
    factFigures: async (route: string, from: number, to: number): Promise<FactFigures> => {
      const window = [route, from, to];
      // One round trip: the counts by kind, and each timed kind's median (the mean of the two
      // middle values for an even count, as in the SQLite store).
      const [kinds, codes] = await Promise.all([
        pool.query<{ kind: string; n: number; median: number | null }>(
          `SELECT kind, COUNT(*)::int AS n,
              ROUND(percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms))::float8 AS median
            FROM facts WHERE ${IN_WINDOW} GROUP BY kind`,
          window,
        ),
        pool.query<{ code: number; n: number }>(
          `SELECT COALESCE(code, 0) AS code, COUNT(*)::int AS n FROM facts
            WHERE ${IN_WINDOW} AND kind = 'failed' GROUP BY COALESCE(code, 0) ORDER BY n DESC, code`,
          window,
        ),
      ]);
      const byKind = new Map(kinds.rows.map((row) => [row.kind, row]));
      return {
        inbound: byKind.get("inbound")?.n ?? 0,
        delivered: byKind.get("delivered")?.n ?? 0,
        failures: codes.rows.map((row) => ({ code: row.code, count: row.n })),
        optOuts: byKind.get("opt-out")?.n ?? 0,
        optIns: byKind.get("opt-in")?.n ?? 0,
        medianInboundMs: byKind.get("inbound")?.median ?? null,
        medianDeliveredMs: byKind.get("delivered")?.median ?? null,
      };
    },
    /** Facts older than the keys' retention, at most `limit` of them. */
    pruneFacts: async (before: number, limit: number): Promise<number> =>
      (
        await pool.query(
          "DELETE FROM facts WHERE id IN (SELECT id FROM facts WHERE at < $1 LIMIT $2)",
          [before, limit],
        )
      ).rowCount ?? 0,
  };
}
