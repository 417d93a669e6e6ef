import type Database from "better-sqlite3";
import type { InstanceInfo, SeenInstance } from "./store.js";

/** The heartbeats of running bridges (migration 5), with the leases each holds now. */
export function createInstanceStatements(db: Database.Database) {
  const beat = db.prepare(`INSERT INTO instances (owner, host, pid, version, started_at, last_seen)
    VALUES (@owner, @host, @pid, @version, @startedAt, @now) ON CONFLICT (owner) DO UPDATE SET
      host = excluded.host, pid = excluded.pid, version = excluded.version,
      started_at = excluded.started_at, last_seen = excluded.last_seen`);
  const seen = db.prepare<[number], SeenInstance>(`SELECT owner, host, pid, version,
    started_at AS startedAt, last_seen AS lastSeen, (SELECT COUNT(*) FROM jobs
      WHERE state = 'running' AND lease_owner = instances.owner) AS leases
    FROM instances WHERE last_seen >= ? ORDER BY started_at, owner`);
  return {
    beat: (instance: InstanceInfo, now: number) => void beat.run({ ...instance, now }),
    seen: (since: number) => seen.all(since),
  };
}
