import { existsSync } from "node:fs";
import { join } from "node:path";
import { openSqliteStore, type OpenStoreOptions } from "./sqlite-open.js";
import type { Store } from "./store.js";

/** Where the store lives: the SQLite file in the data dir, unless a database URL is given. */
export interface StoreLocation {
  dataDir: string;
  /** `postgres://…`: the shared PostgreSQL store (issue 15). */
  databaseUrl?: string | undefined;
}

/** Opens (creating and migrating if needed) the bridge's store. */
export async function openStore(
  location: StoreLocation,
  options: OpenStoreOptions = {},
): Promise<Store> {
  return openSqliteStore(location.dataDir, options);
}

/**
 * The store, if the bridge has run here: commands that only read it (queue, doctor, send-test)
 * must not create an empty one and report it as healthy.
 */
export async function openExistingStore(location: StoreLocation): Promise<Store | undefined> {
  if (!existsSync(sqliteFile(location.dataDir))) return undefined;
  return openStore(location);
}

/** Says where the store is, for messages: the file, or the database URL without its password. */
export function describeStore(location: StoreLocation): string {
  return sqliteFile(location.dataDir);
}

export function sqliteFile(dataDir: string): string {
  return join(dataDir, "bridge.sqlite");
}
