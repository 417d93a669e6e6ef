import type Database from "better-sqlite3";
import type { PrunePolicy, PruneResult } from "./store.js";

/**
 * Retention for the SQLite store, in bounded batches: finished jobs lose their payload first, then
 * go with their dedupe keys; links, early callbacks and facts follow the same clocks.
 */
export function createPruneStatements(
  db: Database.Database,
  facts: { prune(before: number, limit: number): number },
) {
  const pruneEarly = db.prepare(`DELETE FROM early_statuses WHERE rowid IN (SELECT rowid
    FROM early_statuses WHERE received_at < @before LIMIT @limit)`);
  const prunePayloads = db.prepare(`UPDATE jobs SET payload = 'null', result = NULL
    WHERE id IN (SELECT id FROM jobs WHERE state IN ('done', 'dropped') AND updated_at < @before
      AND payload <> 'null' LIMIT @limit)`);
  const pruneJobs = db.prepare(`DELETE FROM jobs WHERE id IN (SELECT id FROM jobs
    WHERE state IN ('done', 'dropped') AND updated_at < @before LIMIT @limit)`);
  const pruneLinks = db.prepare(`DELETE FROM messages WHERE twilio_sid IN (SELECT twilio_sid
    FROM messages WHERE updated_at < @before LIMIT @limit)`);

  return {
    // Facts count with the links: both are kept for the key retention.
    prune: ({ payloadsBefore, keysBefore, limit }: PrunePolicy): PruneResult => ({
      jobs: pruneJobs.run({ before: keysBefore, limit }).changes,
      payloads: prunePayloads.run({ before: payloadsBefore, limit }).changes,
      links:
        pruneLinks.run({ before: keysBefore, limit }).changes +
        pruneEarly.run({ before: payloadsBefore, limit }).changes +
        facts.prune(keysBefore, limit),
    }),
  };
}
