import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { ConfigError } from "./errors.js";

/**
 * The `.env` file of the working directory, under the real environment: flags > environment >
 * `.env` > config file > defaults. Parsed by Node's own dotenv parser (`util.parseEnv`, Node ≥ 20.12,
 * which package.json's engines already require), so no dependency and no hand-written parsing.
 * process.env is not modified: commands get the merged copy.
 */
export function withDotenv(
  env: Record<string, string | undefined>,
  cwd: string,
): Record<string, string | undefined> {
  if (env.FRONT_TWILIO_DOTENV === "0") return env;
  const file = join(cwd, ".env");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return env;
    throw new ConfigError(`${file} could not be read: ${(error as Error).message}.`, {
      hint: "Fix its permissions, or set FRONT_TWILIO_DOTENV=0 to ignore it.",
    });
  }
  const fromFile = parseEnv(text);
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  const used = Object.keys(fromFile).filter((key) => env[key] === undefined);
  origins.set(merged, { path: file, keys: new Set(used) });
  return merged;
}

/** Which variables of a merged environment came from which `.env`, to name it in an error. */
const origins = new WeakMap<object, { path: string; keys: ReadonlySet<string> }>();

export function dotenvOrigin(
  env: Record<string, string | undefined>,
  name: string,
): string | undefined {
  const origin = origins.get(env);
  return origin?.keys.has(name) ? origin.path : undefined;
}
