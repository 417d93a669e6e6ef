import type Database from "better-sqlite3";
import type { Fact, FactFigures } from "./store.js";

type Window = { route: string; from: number; to: number };
const IN_WINDOW = "route = @route AND at >= @from AND at < @to";

/**
 * The SQL of the facts table (migration 4) for the SQLite store: plain statements that read
 * through the (route, at) index, so a report costs what its window holds. Medians are two steps
 * (count, then the middle rows by OFFSET) rather than a window function, so the same SQL runs on
 * PostgreSQL.
 */
export function createFactStatements(db: Database.Database) {
  const insert = db.prepare(`INSERT INTO facts (route, kind, ref, at, code, latency_ms)
    VALUES (@route, @kind, @ref, @at, @code, @latencyMs) ON CONFLICT (kind, ref) DO NOTHING`);
  const byKind = db.prepare<Window, { kind: string; n: number }>(
    `SELECT kind, COUNT(*) AS n FROM facts WHERE ${IN_WINDOW} GROUP BY kind`,
  );
  const byCode = db.prepare<Window, { code: number; n: number }>(
    `SELECT COALESCE(code, 0) AS code, COUNT(*) AS n FROM facts
      WHERE ${IN_WINDOW} AND kind = 'failed' GROUP BY COALESCE(code, 0) ORDER BY n DESC, code`,
  );
  const timed = db.prepare<Window & { kind: string }, { n: number }>(
    `SELECT COUNT(*) AS n FROM facts WHERE ${IN_WINDOW} AND kind = @kind AND latency_ms IS NOT NULL`,
  );
  const middle = db.prepare<Window & { kind: string; take: number; skip: number }, { ms: number }>(
    `SELECT latency_ms AS ms FROM facts WHERE ${IN_WINDOW} AND kind = @kind
      AND latency_ms IS NOT NULL ORDER BY latency_ms LIMIT @take OFFSET @skip`,
  );
  const prune = db.prepare(`DELETE FROM facts WHERE id IN (SELECT id FROM facts
    WHERE at < @before LIMIT @limit)`);

  function median(window: Window, kind: string): number | null {
    const n = timed.get({ ...window, kind })?.n ?? 0;
    if (n === 0) return null;
    // The middle row, or the mean of the two middle rows when the count is even.
    const rows = middle.all({ ...window, kind, take: 2 - (n % 2), skip: Math.floor((n - 1) / 2) });
    return Math.round(rows.reduce((sum, row) => sum + row.ms, 0) / rows.length);
  }

  return {
    record: (fact: Fact) =>
      void insert.run({ ...fact, code: fact.code ?? null, latencyMs: fact.latencyMs ?? null }),
    figures(route: string, from: number, to: number): FactFigures {
      const window = { route, from, to };
      const counts = new Map(byKind.all(window).map((row) => [row.kind, row.n]));
      return {
        inbound: counts.get("inbound") ?? 0,
        delivered: counts.get("delivered") ?? 0,
        failures: byCode.all(window).map((row) => ({ code: row.code, count: row.n })),
        optOuts: counts.get("opt-out") ?? 0,
        optIns: counts.get("opt-in") ?? 0,
        medianInboundMs: median(window, "inbound"),
        medianDeliveredMs: median(window, "delivered"),
      };
    },
    prune: (before: number, limit: number) => prune.run({ before, limit }).changes,
  };
}
