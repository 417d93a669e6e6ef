import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createLogThrottle } from "../../src/log-throttle.js";
import { createSqliteStore } from "../../src/store/sqlite-store.js";
import { diskFault, guardStore, StoreUnavailableError } from "../../src/store/store-faults.js";
import { fullDisk } from "../helpers/full-disk.js";
import { recordingLogger } from "../helpers/recording-logger.js";

describe("disk faults", () => {
  it("are told from bugs by their code, extended SQLite codes included", () => {
    const sqlite = (code: string) => new Database.SqliteError("x", code);
    expect(diskFault(sqlite("SQLITE_FULL"))).toEqual({
      code: "SQLITE_FULL",
      reason: "the disk is full",
    });
    expect(diskFault(sqlite("SQLITE_IOERR_WRITE"))?.reason).toBe("an I/O error on the disk");
    expect(diskFault(Object.assign(new Error("x"), { code: "ENOSPC" }))?.reason).toBe(
      "the disk is full",
    );
    expect(diskFault(sqlite("SQLITE_CONSTRAINT_UNIQUE"))).toBeUndefined();
    expect(diskFault(new TypeError("bug"))).toBeUndefined();
    expect(diskFault(undefined)).toBeUndefined();
  });

  it("guardStore turns them into StoreUnavailableError and lets everything else through", async () => {
    const disk = fullDisk();
    const store = guardStore(disk.wrap(createSqliteStore(new Database(":memory:"))));
    disk.full = true;
    const job = { kind: "inbound", dedupeKey: "in:1", route: "r", orderKey: "o", payload: {} };
    await expect(store.enqueue(job as never, 1)).rejects.toThrow(StoreUnavailableError);
    expect((await store.summary()).pending).toBe(0); // reads still work
    disk.full = false;
    expect((await store.enqueue(job as never, 1)).created).toBe(true);
    await store.close();

    const bug = new TypeError("a bug");
    const buggy = guardStore({ getMeta: () => Promise.reject(bug) } as never);
    await expect(buggy.getMeta("k")).rejects.toBe(bug);
    const sync = guardStore({
      getMeta: () => {
        throw new Database.SqliteError("disk I/O error", "SQLITE_IOERR_WRITE");
      },
    } as never);
    expect(() => sync.getMeta("k")).toThrow(StoreUnavailableError);
  });
});

describe("the log throttle", () => {
  it("logs the first fault at once, then one line per interval with the count", async () => {
    const logger = recordingLogger();
    const throttle = createLogThrottle({ logger, intervalMs: 100 });
    for (let n = 0; n < 50; n++) throttle.error("full", "disk full");
    expect(logger.lines).toEqual(["error disk full"]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(logger.lines).toEqual([
      "error disk full",
      "error disk full (repeated 49 time(s) in the last 100 ms)",
    ]);
    // A quiet interval ends the episode: the next fault is logged at once again.
    await new Promise((resolve) => setTimeout(resolve, 150));
    throttle.error("full", "disk full");
    expect(logger.lines).toHaveLength(3);
    throttle.stop();
  });
});
