import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server the PostgreSQL tests use (trust auth on 127.0.0.1 by default). */
export const TEST_DATABASE_URL =
  process.env.FRONT_TWILIO_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

let probe: Promise<boolean> | undefined;

/**
 * Whether a server answers at TEST_DATABASE_URL, asked once per test file. Without one the
 * PostgreSQL suites are skipped with a visible note, except in CI, where they must run.
 */
export function postgresAvailable(): Promise<boolean> {
  probe ??= (async () => {
    const client = new pg.Client({
      connectionString: TEST_DATABASE_URL,
      connectionTimeoutMillis: 3_000,
    });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch (error) {
      const why = `no server at ${redact(TEST_DATABASE_URL)} (${(error as Error).message})`;
      if (process.env.CI === "true") {
        throw new Error(
          `CI=true but ${why}; the PostgreSQL tests must run in CI (set FRONT_TWILIO_TEST_DATABASE_URL).`,
        );
      }
      console.warn(`\n⚠ PostgreSQL tests SKIPPED: ${why}\n`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return probe;
}

/** A schema of its own for a test (created by the store at open): its URL, and how to drop it. */
export function freshSchema(): { name: string; url: string; drop: () => Promise<void> } {
  const name = `t_${randomBytes(6).toString("hex")}`;
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("schema", name);
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "****";
  return parsed.toString();
}
