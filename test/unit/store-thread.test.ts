import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { isBridgeError } from "../../src/errors.js";
import { SCHEMA_VERSION } from "../../src/store/sqlite-schema.js";
import { openSqliteThread } from "../../src/store/sqlite-thread.js";

const file = () => join(mkdtempSync(join(tmpdir(), "ft-thread-")), "bridge.sqlite");

describe("the SQLite store on its own thread", () => {
  it("answers every call as the in-thread store does, bytes as a Buffer, and commits before close", async () => {
    const path = file();
    const store = openSqliteThread(path);
    const writes = Array.from({ length: 50 }, (_, i) =>
      store.enqueue(
        {
          kind: "inbound",
          dedupeKey: `in:${i}`,
          route: "r",
          orderKey: `k${i % 5}`,
          payload: { i },
        },
        1_000,
      ),
    );
    expect((await Promise.all(writes)).every((w) => w.created)).toBe(true);
    await store.putMedia({
      id: "m1",
      jobKey: "out:1",
      contentType: "image/png",
      bytes: Buffer.from([1, 2, 3]),
      expiresAt: 9e12,
    });
    const media = await store.getMedia("m1");
    expect(Buffer.isBuffer(media!.bytes)).toBe(true);
    expect([...media!.bytes]).toEqual([1, 2, 3]);
    expect((await store.claimNext(1_000, 60_000, "me"))!.payload).toEqual({ i: 0 });
    void store.setMeta("last", "written just before close");
    await store.close();
    const db = new Database(path);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'last'").get()).toEqual({
      value: "written just before close",
    });
    db.close();
  });

  it("hands back expected errors with their hint, and rejects calls after close", async () => {
    const path = file();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const store = openSqliteThread(path);
    const error: unknown = await store.summary().catch((caught: unknown) => caught);
    expect(isBridgeError(error)).toBe(true);
    expect((error as { hint: string }).hint).toMatch(/--data-dir/);
    await store.close();
    await expect(store.summary()).rejects.toThrow(/stopped/);
  });
});
