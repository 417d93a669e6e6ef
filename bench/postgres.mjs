// Issue 15: the PostgreSQL store, for one bridge instance and for two sharing one schema, as
// ratios to the SQLite store measured in the same run: how fast webhooks are acknowledged (each
// one a committed row), and how fast a waiting queue drains (claims, pacing budget, completion).
// Skipped, with a note, when no PostgreSQL answers at FRONT_TWILIO_TEST_DATABASE_URL.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startServer } from "./lib/measure.mjs";
import { load } from "./throughput.mjs";

export const title =
  "Issue 15 — PostgreSQL store, 1 and 2 instances (ratio = PostgreSQL / SQLite, same run)";

const URL_BASE =
  process.env.FRONT_TWILIO_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const PENDING = 2_000;
const CONNECTIONS = 32;

async function reachable() {
  const client = new pg.Client({ connectionString: URL_BASE, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema per measurement, dropped after it. */
async function withSchema(work) {
  const name = `bench_${randomBytes(5).toString("hex")}`;
  const url = new URL(URL_BASE);
  url.searchParams.set("schema", name);
  try {
    return await work(url.toString());
  } finally {
    const client = new pg.Client({ connectionString: URL_BASE });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await client.end();
  }
}

/** Acks per second over all instances, the load split evenly between them. */
async function acks(options, instances) {
  const bridges = await Promise.all(
    Array.from({ length: instances }, () => startServer("bridge", options)),
  );
  try {
    const results = await Promise.all(
      bridges.map((bridge) => load(bridge, { connections: CONNECTIONS / instances })),
    );
    return {
      rps: results.reduce((sum, r) => sum + r.rps, 0),
      non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    };
  } finally {
    await Promise.all(bridges.map((bridge) => bridge.stop()));
  }
}

/** Deliveries per second of a waiting queue (one customer each, pacing off), over all instances. */
async function drain(options, instances) {
  const bridges = [
    await startServer("bridge", {
      ...options,
      pending: PENDING,
      holdWorker: true,
      tuning: { paceMs: 0 },
    }),
  ];
  for (let i = 1; i < instances; i++)
    bridges.push(
      await startServer("bridge", { ...options, holdWorker: true, tuning: { paceMs: 0 } }),
    );
  try {
    const started = performance.now();
    for (const bridge of bridges) bridge.send("start-worker");
    let delivered = 0;
    while (delivered < PENDING && performance.now() - started < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const stats = await Promise.all(bridges.map((bridge) => bridge.stats()));
      delivered = stats.reduce((sum, s) => sum + s.incoming, 0);
    }
    return { rate: delivered / ((performance.now() - started) / 1000), delivered };
  } finally {
    await Promise.all(bridges.map((bridge) => bridge.stop()));
  }
}

export async function run() {
  if (!(await reachable())) {
    console.log(
      `\nPostgreSQL bench SKIPPED: no server at ${new URL(URL_BASE).host} (FRONT_TWILIO_TEST_DATABASE_URL).`,
    );
    return [];
  }
  const rows = [];
  const sqliteAcks = await acks({}, 1);
  const sqliteDrain = await drain({}, 1);
  for (const instances of [1, 2]) {
    const pgAcks = await withSchema((databaseUrl) => acks({ databaseUrl }, instances));
    rows.push({
      figure: `ack throughput, ${CONNECTIONS} concurrent, ${instances} instance(s) vs SQLite`,
      ms: pgAcks.rps,
      refMs: sqliteAcks.rps,
      unit: "req/s",
      note:
        pgAcks.non2xx || sqliteAcks.non2xx ? `${pgAcks.non2xx}/${sqliteAcks.non2xx} not 2xx!` : "",
    });
    const pgDrain = await withSchema((databaseUrl) => drain({ databaseUrl }, instances));
    rows.push({
      figure: `drain of ${PENDING} waiting, ${instances} instance(s) vs SQLite`,
      ms: pgDrain.rate,
      refMs: sqliteDrain.rate,
      unit: "msg/s",
      note: pgDrain.delivered < PENDING ? `only ${pgDrain.delivered} delivered` : "",
    });
  }
  return rows;
}
