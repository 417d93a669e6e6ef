import { existsSync } from "node:fs";
import { join } from "node:path";
import { BridgeError } from "../errors.js";
import type { PaceBudget } from "./pace-budget.js";
import { createPgPool, openPgStore } from "./pg-open.js";
import { createPgPaceBudget } from "./pg-pace-budget.js";
import { isPostgresUrl, maskDatabaseUrl } from "./pg-url.js";
import { openSqliteStore, type OpenStoreOptions } from "./sqlite-open.js";
import type { Store } from "./store.js";

/** Where the store lives: the SQLite file in the data dir, unless a database URL is given. */
export interface StoreLocation {
  dataDir: string;
  /** `postgres://…`: the shared PostgreSQL store (issue 15). */
  databaseUrl?: string | undefined;
}

/**
 * The pacer's budget for the store's location: shared in the database when several instances may
 * use it, none (the pacer keeps its own in memory) with SQLite. Opened after the store (which
 * migrated the schema), on a small pool of its own: one connection per worker loop, so that a
 * take never queues for a connection (time spent queued is time the grant is late).
 */
export function openPaceBudget(location: StoreLocation): PaceBudget | undefined {
  if (!isPostgresUrl(location.databaseUrl)) return undefined;
  return createPgPaceBudget(createPgPool(location.databaseUrl, { poolSize: 4 }));
}

/** Opens (creating and migrating if needed) the bridge's store. */
export async function openStore(
  location: StoreLocation,
  options: OpenStoreOptions = {},
): Promise<Store> {
  if (location.databaseUrl !== undefined && !isPostgresUrl(location.databaseUrl)) {
    throw new BridgeError(
      `The database URL ${maskDatabaseUrl(location.databaseUrl)} is not a PostgreSQL URL.`,
      {
        hint: "Set FRONT_TWILIO_DATABASE_URL or --database-url to postgres://user:password@host:5432/db, or unset it to use SQLite in the data dir.",
        code: "config",
      },
    );
  }
  if (isPostgresUrl(location.databaseUrl)) {
    return openPgStore(location.databaseUrl, options.warn ? { warn: options.warn } : {});
  }
  return openSqliteStore(location.dataDir, options);
}

/**
 * The store, if the bridge has run here: commands that only read it (queue, doctor, send-test)
 * must not create an empty one and report it as healthy. A database is always opened (and
 * migrated): it is shared, and its absence is an error the opening reports.
 */
export async function openExistingStore(location: StoreLocation): Promise<Store | undefined> {
  if (isPostgresUrl(location.databaseUrl)) return openStore(location);
  if (!existsSync(sqliteFile(location.dataDir))) return undefined;
  return openStore(location);
}

/** Says where the store is, for messages: the file, or the database URL without its password. */
export function describeStore(location: StoreLocation): string {
  if (isPostgresUrl(location.databaseUrl)) return maskDatabaseUrl(location.databaseUrl);
  return sqliteFile(location.dataDir);
}

export function sqliteFile(dataDir: string): string {
  return join(dataDir, "bridge.sqlite");
}
