import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createGroupCommit } from "../../src/store/group-commit.js";
import { createSqliteStore } from "../../src/store/sqlite-store.js";
import type { Store } from "../../src/store/store.js";

/** Operations a worker, the webhooks and an operator perform, on a few customers. */
const operation = fc.oneof(
  fc.record({ op: fc.constant("enqueue" as const), key: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant("claim" as const) }),
  fc.record({
    op: fc.constantFrom("complete" as const, "retryLater" as const, "deadLetter" as const),
    pick: fc.nat(),
  }),
  fc.record({ op: fc.constantFrom("retryNow" as const, "drop" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("retryAllDead" as const) }),
  // Exactly once across crashes: an attempt mark, a wait in doubt, and a crash of the holder.
  fc.record({
    op: fc.constantFrom("startAttempt" as const, "retryInDoubt" as const),
    pick: fc.nat(),
  }),
  fc.record({ op: fc.constant("crash" as const) }),
);

describe("the SQLite store's kept summaries", () => {
  it("keeps heads, counters and order exact under any sequence of operations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 60 }), async (operations) => {
        const db = new Database(":memory:");
        const store = createSqliteStore(db);
        let n = 0;
        const now = 1_000;
        for (const step of operations) {
          const running = await store.list({ state: "running" });
          const any = await store.list({});
          switch (step.op) {
            case "enqueue":
              await store.enqueue(
                {
                  kind: "inbound",
                  dedupeKey: `in:${n++}`,
                  route: "r",
                  orderKey: `k${step.key}`,
                  payload: {},
                },
                now,
              );
              break;
            case "claim": {
              const job = await store.claimNext(now, 60_000, "me");
              // Never a job while an older one of its customer is unfinished.
              if (job) {
                const elders = db
                  .prepare(
                    "SELECT COUNT(*) AS n FROM jobs WHERE order_key = ? AND id < ? AND state IN ('pending','running')",
                  )
                  .get(job.orderKey, job.id) as { n: number };
                expect(elders.n).toBe(0);
              }
              break;
            }
            case "complete":
            case "retryLater":
            case "deadLetter": {
              const job = running[step.pick % Math.max(1, running.length)];
              if (!job) break;
              if (step.op === "complete") await store.complete(job.id, now);
              else if (step.op === "retryLater") await store.retryLater(job.id, now, now, "e");
              else await store.deadLetter(job.id, now, "e");
              break;
            }
            case "retryNow":
            case "drop": {
              const job = any[step.pick % Math.max(1, any.length)];
              if (job) await store[step.op](job.id, now);
              break;
            }
            case "retryAllDead":
              await store.retryAllDead(now);
              break;
            case "startAttempt":
            case "retryInDoubt": {
              const job = running[step.pick % Math.max(1, running.length)];
              if (!job) break;
              if (step.op === "startAttempt") await store.startAttempt(job.id, now);
              else
                await store.retryLater(job.id, now, now, "doubt", {
                  uncounted: true,
                  inDoubt: true,
                });
              break;
            }
            case "crash":
              await store.releaseLeases("me", now);
              break;
          }
          checkInvariants(db, await store.summary());
        }
        await store.close();
      }),
      { numRuns: 150 },
    );
  });
});

function checkInvariants(db: Database.Database, summary: Awaited<ReturnType<Store["summary"]>>) {
  const counted = Object.fromEntries(
    (
      db.prepare("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state").all() as {
        state: string;
        n: number;
      }[]
    ).map((row) => [row.state, row.n]),
  );
  for (const state of ["pending", "running", "done", "dead", "dropped"] as const)
    expect(summary[state]).toBe(counted[state] ?? 0);
  const heads = db
    .prepare("SELECT id FROM jobs WHERE is_head = 1 AND state IN ('pending','running') ORDER BY id")
    .all();
  const expected = db
    .prepare(
      "SELECT MIN(id) AS id FROM jobs WHERE state IN ('pending','running') GROUP BY order_key ORDER BY id",
    )
    .all();
  expect(heads).toEqual(expected);
  // Attempts never go below zero; a finished job keeps no attempt mark.
  expect(db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE attempts < 0").get()).toEqual({ n: 0 });
  expect(
    db
      .prepare(
        "SELECT COUNT(*) AS n FROM jobs WHERE state IN ('done','dead') AND attempt_started_at IS NOT NULL",
      )
      .get(),
  ).toEqual({ n: 0 });
}

describe("group commit", () => {
  it("commits writes of one event-loop turn together, failing only the write that threw", async () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (x INTEGER PRIMARY KEY)");
    const write = createGroupCommit(db);
    let commits = 0;
    const insert = db.prepare("INSERT INTO t (x) VALUES (?)");
    const counting = <T>(operation: () => T) => {
      if (!db.inTransaction) commits++;
      return operation();
    };
    const results = await Promise.allSettled([
      write(() => counting(() => insert.run(1).changes)),
      write(() => insert.run(1).changes), // a duplicate key: this one fails alone
      write(() => insert.run(2).changes),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(commits).toBe(0); // the first write already ran inside the batch's transaction
    expect(db.prepare("SELECT x FROM t ORDER BY x").all()).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it("settles a write only after its commit, so a reader sees what was acknowledged", async () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (x INTEGER)");
    const write = createGroupCommit(db);
    const pending = write(() => db.prepare("INSERT INTO t (x) VALUES (1)").run());
    expect(db.inTransaction).toBe(false);
    await pending;
    expect(db.inTransaction).toBe(false);
    expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 1 });
  });
});

describe("retention", () => {
  it("drops payloads of finished jobs first, then their keys and links, in bounded batches", async () => {
    const store = createSqliteStore(new Database(":memory:"));
    for (let i = 0; i < 5; i++) {
      const { job } = await store.enqueue(
        { kind: "inbound", dedupeKey: `in:${i}`, route: "r", orderKey: `k${i}`, payload: { i } },
        1_000,
      );
      await store.linkMessage(
        { twilioSid: `SM${i}`, route: "r", direction: "inbound", customer: "c" },
        1_000,
      );
      if (i < 4) await store.complete(job.id, 1_000 + i, { ok: i });
    }
    const first = await store.prune({ payloadsBefore: 2_000, keysBefore: 0, limit: 3 });
    expect(first).toEqual({ payloads: 3, jobs: 0, links: 0 });
    expect((await store.getByKey("in:0"))!.payload).toBeNull();
    expect((await store.getByKey("in:4"))!.payload).toEqual({ i: 4 }); // pending: kept
    expect(await store.prune({ payloadsBefore: 2_000, keysBefore: 0, limit: 3 })).toEqual({
      payloads: 1,
      jobs: 0,
      links: 0,
    });
    const keys = await store.prune({ payloadsBefore: 2_000, keysBefore: 2_000, limit: 10 });
    expect(keys).toEqual({ payloads: 0, jobs: 4, links: 5 });
    expect(await store.getByKey("in:0")).toBeUndefined();
    expect(await store.summary()).toMatchObject({ pending: 1, done: 0 });
    await store.close();
  });
});
