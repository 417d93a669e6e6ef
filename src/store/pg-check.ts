import { BridgeError } from "../errors.js";
import { createPgPool, databaseError } from "./pg-open.js";
import { schemaVersion } from "./pg-migrate.js";
import { PG_SCHEMA_VERSION } from "./pg-schema.js";
import { maskDatabaseUrl, parseDatabaseUrl } from "./pg-url.js";

/**
 * For `doctor`: the database answers, and its schema is the one this version writes. Reads only:
 * unlike opening the store, it never creates or migrates anything. Returns what it found.
 */
export async function checkDatabase(url: string): Promise<string> {
  const { schema } = parseDatabaseUrl(url);
  const where = maskDatabaseUrl(url);
  const pool = createPgPool(url, { poolSize: 1, warn: () => undefined });
  let version: number;
  try {
    version = await schemaVersion(pool, schema);
  } catch (error) {
    throw databaseError(url, error);
  } finally {
    await pool.end().catch(() => undefined);
  }
  if (version === 0) {
    throw new BridgeError(`The database at ${where} has no front-twilio schema "${schema}" yet.`, {
      hint: "Start the bridge once (`front-twilio serve` with the same FRONT_TWILIO_DATABASE_URL / --database-url): it creates and migrates the schema.",
    });
  }
  if (version < PG_SCHEMA_VERSION) {
    throw new BridgeError(
      `The database schema "${schema}" is at version ${version}; this front-twilio writes ${PG_SCHEMA_VERSION}.`,
      {
        hint: "The first instance of this version to start migrates it: restart the bridges one by one.",
      },
    );
  }
  if (version > PG_SCHEMA_VERSION) {
    throw new BridgeError(
      `The database schema "${schema}" is at version ${version}, written by a newer front-twilio (this one knows ${PG_SCHEMA_VERSION}).`,
      { hint: "Upgrade front-twilio here (npm install -g front-twilio@latest)." },
    );
  }
  return `${where} answers; schema "${schema}" at version ${version} (current)`;
}
