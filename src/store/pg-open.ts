import pg from "pg";
import { BridgeError, errorMessage } from "../errors.js";
import { migratePg } from "./pg-migrate.js";
import { PG_TYPES } from "./pg-rows.js";
import { createPgStore } from "./pg-store.js";
import { maskDatabaseUrl, parseDatabaseUrl } from "./pg-url.js";
import type { Store } from "./store.js";

export interface OpenPgOptions {
  /** Connections per instance (default 10): the worker's loops plus the requests in flight. */
  poolSize?: number;
  /** Where a connection that fails while idle is reported (stderr by default). */
  warn?: (message: string) => void;
}

/** A pool on the URL's database whose every connection works in the URL's schema. */
export function createPgPool(url: string, options: OpenPgOptions = {}): pg.Pool {
  const { connectionString, schema } = parseDatabaseUrl(url);
  const pool = new pg.Pool({
    connectionString,
    // Set at connect time, so a pooled query costs no extra round trip to choose the schema.
    options: `-c search_path=${schema}`,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    types: PG_TYPES,
  });
  const warn = options.warn ?? ((message) => process.stderr.write(`! ${message}\n`));
  // An idle connection the server drops must not crash the bridge: the pool opens another.
  pool.on("error", (error) => warn(`database connection lost: ${error.message}`));
  return pool;
}

/**
 * Opens the shared PostgreSQL store: connects, creates the schema if missing and migrates it
 * (several instances starting together take turns). A database that cannot be used is a
 * BridgeError naming the URL (without its password) and the setting to fix.
 */
export async function openPgStore(url: string, options: OpenPgOptions = {}): Promise<Store> {
  const pool = createPgPool(url, options);
  try {
    await migratePg(pool, parseDatabaseUrl(url).schema);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw databaseError(url, error);
  }
  return createPgStore(pool);
}

export function databaseError(url: string, error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  return new BridgeError(
    `Cannot use the PostgreSQL database at ${maskDatabaseUrl(url)}: ${errorMessage(error) || String((error as { code?: string }).code ?? error)}`,
    {
      hint: "Check FRONT_TWILIO_DATABASE_URL or --database-url (host, port, user, password, database) and that the server accepts connections from this host.",
      cause: error,
      code: "store",
    },
  );
}
