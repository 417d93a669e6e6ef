import type Database from "better-sqlite3";

export type Write = <T>(operation: () => T) => Promise<T>;

interface Queued {
  operation: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes asked for in the same turn of the event loop run in one IMMEDIATE
 * transaction, so requests that arrive together share one fsync. Each promise settles only after
 * the commit that holds its write, so an acknowledgement never precedes durability. Each write runs
 * in a savepoint of its own: one that throws is undone alone, and only its caller sees the error;
 * a failed commit (a full disk, an I/O error) fails every write of the batch.
 */
export function createGroupCommit(db: Database.Database): Write {
  let queue: Queued[] = [];

  function flush() {
    const batch = queue;
    queue = [];
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      db.transaction(() => {
        for (const { operation } of batch) {
          try {
            outcomes.push({ ok: true, value: db.transaction(operation)() });
          } catch (error) {
            if (!db.inTransaction) throw error; // SQLite rolled the whole transaction back
            outcomes.push({ ok: false, value: error });
          }
        }
      }).immediate();
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.value);
    });
  }

  return <T>(operation: () => T) =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ operation, resolve: resolve as (value: unknown) => void, reject });
    });
}
