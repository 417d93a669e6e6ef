import Database from "better-sqlite3";
import type { Store } from "../../src/store/store.js";

const WRITES = new Set<keyof Store>([
  "enqueue",
  "claimNext",
  "releaseLeases",
  "complete",
  "retryLater",
  "deadLetter",
  "retryNow",
  "retryAllDead",
  "drop",
  "setOptedOut",
  "setCallerName",
  "putMedia",
  "deleteExpiredMedia",
  "setMeta",
  "linkMessage",
  "prune",
]);

export interface FullDisk {
  wrap: (store: Store) => Store;
  /** While true every write fails as SQLite fails on a full disk; reads still work. */
  full: boolean;
  failures: number;
}

/**
 * A disk that fills up and frees again, simulated in front of a real store: better-sqlite3's own
 * SqliteError with code SQLITE_FULL, as a commit on a full disk throws it. Nothing is written.
 */
export function fullDisk(): FullDisk {
  const disk: FullDisk = {
    full: false,
    failures: 0,
    wrap: (store) =>
      Object.fromEntries(
        Object.entries(store).map(([name, method]) => [
          name,
          (...args: unknown[]) => {
            if (disk.full && WRITES.has(name as keyof Store)) {
              disk.failures += 1;
              // As a group commit on a full disk fails: the write's promise rejects.
              return Promise.reject(
                new Database.SqliteError("database or disk is full", "SQLITE_FULL"),
              );
            }
            return (method as (...a: unknown[]) => unknown)(...args);
          },
        ]),
      ) as unknown as Store,
  };
  return disk;
}
