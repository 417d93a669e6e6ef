import { BridgeError } from "../errors.js";

/** The database URL with its password replaced, for messages and logs. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "****";
    return parsed.toString();
  } catch {
    // Not a URL we can parse: say nothing of what it holds.
    return "(unparseable database URL)";
  }
}

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/** The connection string for node-postgres and the schema the store lives in (`?schema=NAME`). */
export function parseDatabaseUrl(url: string): { connectionString: string; schema: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new BridgeError(`The database URL ${maskDatabaseUrl(url)} is not a valid URL.`, {
      hint: "Set FRONT_TWILIO_DATABASE_URL or --database-url to postgres://user:password@host:5432/db.",
      cause: error,
      code: "config",
    });
  }
  const schema = parsed.searchParams.get("schema") ?? "public";
  // A schema name goes into SQL as an identifier: keep it to a plain name.
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new BridgeError(`The schema "${schema}" in the database URL is not a plain name.`, {
      hint: "Use letters, digits and _ in ?schema= of FRONT_TWILIO_DATABASE_URL or --database-url.",
      code: "config",
    });
  }
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), schema };
}
