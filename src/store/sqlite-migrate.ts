import type Database from "better-sqlite3";
import { BridgeError } from "../errors.js";
import { MIGRATIONS } from "./sqlite-schema.js";

/**
 * Brings the store to the schema this version knows, in one transaction, and refuses a store
 * written by a newer version (whose rows this one could misread). Returns the versions crossed.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly string[] = MIGRATIONS,
): { from: number; to: number } {
  const from = db.pragma("user_version", { simple: true }) as number;
  if (from > migrations.length) {
    throw new BridgeError(
      `The store ${db.name} was written by a newer front-twilio (schema ${from}; this one knows ${migrations.length}).`,
      {
        hint: "Upgrade front-twilio (npm install -g front-twilio@latest), or point --data-dir at another directory.",
      },
    );
  }
  db.transaction(() => {
    for (let version = from; version < migrations.length; version++) db.exec(migrations[version]!);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
  return { from, to: migrations.length };
}

/** WAL, full fsync on commit, and the schema this version knows. */
export function prepareDatabase(db: Database.Database): void {
  db.pragma("journal_mode = WAL");
  // FULL: an acknowledged message must survive power loss, not only a killed process.
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  migrate(db);
}
