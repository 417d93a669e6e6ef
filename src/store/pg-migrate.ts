import type pg from "pg";
import { BridgeError } from "../errors.js";
import { PG_MIGRATIONS } from "./pg-schema.js";

/**
 * Brings the schema to the version this code knows. Every instance runs this at start; a session
 * advisory lock per schema makes the second of two instances starting together wait, then find
 * the work done. Each migration commits with its version row, so a crash mid-way resumes cleanly.
 * A schema written by a newer version is refused (this one could misread its rows).
 */
export async function migratePg(
  pool: pg.Pool,
  schema: string,
  migrations: readonly string[] = PG_MIGRATIONS,
): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  const lockKey = `front-twilio:migrate:${schema}`;
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(`CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (
        version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      const from = await schemaVersion(client, schema);
      if (from > migrations.length) {
        throw new BridgeError(
          `The database schema "${schema}" was written by a newer front-twilio (schema ${from}; this one knows ${migrations.length}).`,
          {
            hint: "Upgrade every instance (npm install -g front-twilio@latest), or point FRONT_TWILIO_DATABASE_URL / --database-url at another ?schema=.",
          },
        );
      }
      for (let version = from; version < migrations.length; version++) {
        await client.query("BEGIN");
        try {
          await client.query(`SET LOCAL search_path TO "${schema}"`);
          await client.query(migrations[version]!);
          await client.query(`INSERT INTO "${schema}".schema_migrations (version) VALUES ($1)`, [
            version + 1,
          ]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
      }
      return { from, to: migrations.length };
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey]);
    }
  } finally {
    client.release();
  }
}

/** The version a schema is at: 0 when it has no migrations table yet. */
export async function schemaVersion(
  client: Pick<pg.PoolClient, "query">,
  schema: string,
): Promise<number> {
  const exists = await client.query<{ found: string | null }>("SELECT to_regclass($1) AS found", [
    `"${schema}".schema_migrations`,
  ]);
  if (!exists.rows[0]?.found) return 0;
  const { rows } = await client.query<{ version: number | null }>(
    `SELECT MAX(version) AS version FROM "${schema}".schema_migrations`,
  );
  return rows[0]?.version ?? 0;
}
