import * as fs from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { dataDirError } from "./data-dir-errors.js";
import {
  preparePrivateDir,
  preparePrivateFile,
  tightenIfPresent,
  type FileOps,
} from "./data-dir.js";
import { prepareDatabase } from "./sqlite-migrate.js";
import { openSqliteThread } from "./sqlite-thread.js";
import type { Store } from "./store.js";

export interface OpenStoreOptions {
  /** A permission that could not be tightened (the path is not ours); stderr by default. */
  warn?: (message: string) => void;
  /** Collaborators a test replaces to simulate a read-only or full disk. */
  fs?: FileOps;
  openDatabase?: (file: string) => Database.Database;
}

/**
 * Opens (creating if needed) `<dataDir>/bridge.sqlite` in WAL mode with full fsync on commit, on a
 * thread of its own so that commits never stall request handling. The dir is 0700 and the
 * database, WAL and shared-memory files 0600 whatever the umask. The file is opened and migrated
 * here first, so that a dir or store that cannot be used is a BridgeError naming it and the fix,
 * at start-up, before the thread takes over.
 */
export function openSqliteStore(dataDir: string, options: OpenStoreOptions = {}): Store {
  const ops = options.fs ?? fs;
  const warn = options.warn ?? ((message) => process.stderr.write(`! ${message}\n`));
  const file = join(dataDir, "bridge.sqlite");
  let db: Database.Database | undefined;
  try {
    const warnings = [...preparePrivateDir(dataDir, ops), ...preparePrivateFile(file, ops)];
    db = (options.openDatabase ?? ((path) => new Database(path)))(file);
    prepareDatabase(db);
    for (const suffix of ["-wal", "-shm"]) warnings.push(...tightenIfPresent(file + suffix, ops));
    warnings.forEach(warn);
  } catch (error) {
    throw dataDirError(dataDir, file, error);
  } finally {
    db?.close();
  }
  return openSqliteThread(file);
}
