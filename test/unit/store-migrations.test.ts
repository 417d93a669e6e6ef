import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { isBridgeError } from "../../src/errors.js";
import { migrate } from "../../src/store/sqlite-migrate.js";
import { MIGRATIONS, SCHEMA_VERSION } from "../../src/store/sqlite-schema.js";
import { createSqliteStore } from "../../src/store/sqlite-store.js";

const FIXTURE = new URL("../fixtures/store-0.1.0.sqlite", import.meta.url).pathname;

/** A copy of the store file written by 0.1.0 (see test/fixtures/make-store-0.1.0.mjs). */
function oldStore(): Database.Database {
  const file = join(mkdtempSync(join(tmpdir(), "ft-migrate-")), "bridge.sqlite");
  copyFileSync(FIXTURE, file);
  return new Database(file);
}

describe("schema versions", () => {
  it("opens a store written by 0.1.0, migrates it, and hands out what it had pending, in order", async () => {
    const db = oldStore();
    expect(db.pragma("user_version", { simple: true })).toBe(0);
    const store = createSqliteStore(db);
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(await store.summary()).toMatchObject({ pending: 2, running: 1, done: 1, dead: 1 });
    expect(await store.findMessage(`SM${"1".repeat(32)}`)).toMatchObject({
      frontMessageUid: "uid_done",
    });
    expect(await store.isOptedOut("+14155550199", "+14155550100")).toBe(true);
    expect(await store.getMeta("media.secret")).toBe("fixture-media-secret");

    // The crashed owner's lease is handed back; then each customer's messages come in order.
    expect(await store.leaseOwners()).toEqual(["gone-host:1"]);
    expect(await store.releaseLeases("gone-host:1", Date.now())).toBe(1);
    const now = Date.now();
    const first = await store.claimNext(now, 60_000, "me");
    const second = await store.claimNext(now, 60_000, "me");
    expect(await store.claimNext(now, 60_000, "me")).toBeUndefined();
    const bodies = [first, second].map((job) => (job!.payload as { body: string }).body);
    expect(bodies.sort()).toEqual(["other customer, running when killed", "second, pending"]);
    await store.complete(
      [first, second].find((job) => (job!.payload as { body: string }).body.startsWith("second"))!
        .id,
      now,
    );
    const third = await store.claimNext(now, 60_000, "me");
    expect((third!.payload as { body: string }).body).toBe("third, pending");
    await store.close();
  });

  it("migrates in one transaction: a migration that fails leaves the store as it was", () => {
    const db = oldStore();
    const broken = [...MIGRATIONS, "CREATE TABLE extra (x); SELECT no_such_function();"];
    expect(() => migrate(db, broken)).toThrow(/no_such_function/);
    expect(db.pragma("user_version", { simple: true })).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeUndefined();
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name = 'job_counts'").get(),
    ).toBeUndefined();
  });

  it("refuses a store written by a newer version, saying what to do", () => {
    const db = new Database(":memory:");
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    let error: unknown;
    try {
      createSqliteStore(db);
    } catch (caught) {
      error = caught;
    }
    expect(isBridgeError(error)).toBe(true);
    expect((error as Error).message).toMatch(/written by a newer front-twilio/);
    expect((error as { hint: string }).hint).toMatch(/--data-dir/);
  });
});
