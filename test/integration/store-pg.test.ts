import { afterAll, describe, expect, it } from "vitest";
import { BridgeError } from "../../src/errors.js";
import { checkDatabase } from "../../src/store/pg-check.js";
import { migratePg } from "../../src/store/pg-migrate.js";
import { createPgPool, openPgStore } from "../../src/store/pg-open.js";
import { PG_SCHEMA_VERSION } from "../../src/store/pg-schema.js";
import { openStore, describeStore } from "../../src/store/open-store.js";
import type { Job, Store } from "../../src/store/store.js";
import { freshSchema, postgresAvailable } from "../helpers/postgres.js";

const available = await postgresAvailable();
const schemas: ReturnType<typeof freshSchema>[] = [];
const schema = () => {
  const made = freshSchema();
  schemas.push(made);
  return made;
};

describe.skipIf(!available)("PostgreSQL store: several instances", () => {
  afterAll(async () => {
    for (const made of schemas) await made.drop();
  });

  it("two instances opening a fresh schema together: both succeed, the migrations run once", async () => {
    const { url, name } = schema();
    const pools = [createPgPool(url), createPgPool(url)];
    try {
      const results = await Promise.all(pools.map((pool) => migratePg(pool, name)));
      expect(results.map((r) => r.from).sort()).toEqual([0, PG_SCHEMA_VERSION]);
      const { rows } = await pools[0]!.query<{ version: number }>(
        "SELECT version FROM schema_migrations ORDER BY version",
      );
      expect(rows.map((row) => row.version)).toEqual(
        Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1),
      );
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it("refuses a schema written by a newer version, naming the setting", async () => {
    const { url } = schema();
    await (await openPgStore(url)).close();
    const pool = createPgPool(url);
    await pool.query("INSERT INTO schema_migrations (version) VALUES ($1)", [
      PG_SCHEMA_VERSION + 1,
    ]);
    await pool.end();
    await expect(openPgStore(url)).rejects.toMatchObject({
      name: "BridgeError",
      message: expect.stringContaining("newer front-twilio") as unknown,
    });
  });

  it("doctor's check reads the schema version without creating or migrating anything", async () => {
    const { url } = schema();
    await expect(checkDatabase(url)).rejects.toMatchObject({
      hint: expect.stringContaining("Start the bridge once") as unknown,
    });
    await (await openPgStore(url)).close();
    expect(await checkDatabase(url)).toMatch(
      new RegExp(`schema "t_[0-9a-f]+" at version ${PG_SCHEMA_VERSION} \\(current\\)`),
    );
    const pool = createPgPool(url);
    await pool.query("INSERT INTO schema_migrations (version) VALUES ($1)", [
      PG_SCHEMA_VERSION + 1,
    ]);
    await pool.end();
    await expect(checkDatabase(url)).rejects.toThrow(/newer front-twilio/);
    await expect(checkDatabase("postgres://x:hunter2@127.0.0.1:1/db")).rejects.not.toThrow(
      /hunter2/,
    );
  });

  it("two stores claiming at once never take one job twice nor run two jobs of one order key", async () => {
    const { url } = schema();
    const stores = [await openPgStore(url), await openPgStore(url)];
    try {
      const keys = 6;
      const perKey = 12;
      for (let n = 0; n < keys * perKey; n++) {
        await stores[0]!.enqueue(
          {
            kind: "inbound",
            dedupeKey: `in:${n}`,
            route: "r",
            orderKey: `k${n % keys}`,
            payload: { n },
          },
          1000,
        );
      }
      const holders = new Map<string, string>();
      const completions = new Map<number, number>();
      const order = new Map<string, number[]>();
      const loop = async (store: Store, owner: string) => {
        for (;;) {
          const job: Job | undefined = await store.claimNext(1000, 60_000, owner);
          if (!job) {
            if ((await store.summary()).pending === 0) return;
            await new Promise((resolve) => setTimeout(resolve, 2));
            continue;
          }
          expect(holders.get(job.orderKey), `two jobs of ${job.orderKey} at once`).toBeUndefined();
          holders.set(job.orderKey, owner);
          order.set(job.orderKey, [...(order.get(job.orderKey) ?? []), job.id]);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
          holders.delete(job.orderKey); // before the commit that lets the next one be claimed
          completions.set(job.id, (completions.get(job.id) ?? 0) + 1);
          await store.complete(job.id, 1001);
        }
      };
      await Promise.all(
        stores.flatMap((store, i) => [0, 1, 2].map((loopNo) => loop(store, `host${i}:${loopNo}`))),
      );
      expect(completions.size).toBe(keys * perKey);
      expect([...completions.values()].every((times) => times === 1)).toBe(true);
      for (const ids of order.values()) expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(await stores[1]!.summary()).toMatchObject({ done: keys * perKey, running: 0 });
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("an expired lease is taken over by one of two instances, without counting an attempt", async () => {
    const { url } = schema();
    const [a, b] = [await openPgStore(url), await openPgStore(url)];
    try {
      await a.enqueue(
        { kind: "inbound", dedupeKey: "in:1", route: "r", orderKey: "k", payload: {} },
        1000,
      );
      expect((await a.claimNext(1000, 100, "a:1"))!.attempts).toBe(1);
      expect(await b.claimNext(1099, 100, "b:1")).toBeUndefined();
      const both = await Promise.all([
        a.claimNext(1100, 100, "a:2"),
        b.claimNext(1100, 100, "b:2"),
      ]);
      const taken = both.filter((job) => job !== undefined);
      expect(taken).toHaveLength(1);
      expect(taken[0]).toMatchObject({ attempts: 1, leaseUntil: 1200 });
      expect(["a:2", "b:2"]).toContain(taken[0]!.leaseOwner);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("concurrent synchronous sends of one customer: only the oldest runs at once", async () => {
    const { url } = schema();
    const [a, b] = [await openPgStore(url), await openPgStore(url)];
    try {
      const sends = await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          (n % 2 ? a : b).enqueue(
            {
              kind: "outbound",
              dedupeKey: `out:${n}`,
              route: "r",
              orderKey: "out:bob",
              payload: {},
              claimFor: { ms: 5000, owner: "x" },
            },
            1000,
          ),
        ),
      );
      expect(sends.filter((send) => send.job.state === "running")).toHaveLength(1);
      const running = sends.find((send) => send.job.state === "running")!;
      expect(running.job.id).toBe(Math.min(...sends.map((send) => send.job.id)));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe("PostgreSQL store: a database that cannot be used", () => {
  it("is a BridgeError naming the setting, without the password", async () => {
    const url = "postgres://bridge:s3cret-pass@127.0.0.1:1/nothing";
    const error = (await openStore({ dataDir: "/nonexistent", databaseUrl: url }).catch(
      (e: unknown) => e,
    )) as BridgeError;
    expect(error).toBeInstanceOf(BridgeError);
    expect(error.message).toContain("127.0.0.1:1");
    expect(error.hint).toMatch(/FRONT_TWILIO_DATABASE_URL.*--database-url/);
    expect(`${error.message} ${error.hint}`).not.toContain("s3cret-pass");
    expect(describeStore({ dataDir: "/d", databaseUrl: url })).toBe(
      "postgres://bridge:****@127.0.0.1:1/nothing",
    );
  });

  it("refuses a URL that is not PostgreSQL, and a schema that is not a plain name", async () => {
    await expect(openStore({ dataDir: "/d", databaseUrl: "mysql://h/db" })).rejects.toMatchObject({
      hint: expect.stringContaining("FRONT_TWILIO_DATABASE_URL") as unknown,
    });
    await expect(
      openStore({ dataDir: "/d", databaseUrl: "postgres://h/db?schema=a;drop" }),
    ).rejects.toMatchObject({ name: "BridgeError" });
  });
});
