import { ConfigError } from "../errors.js";
import { dotenvOrigin } from "../dotenv.js";
import { mergeRoutes, parseRoutes } from "./routes.js";
import { maskSecret } from "../log.js";
import { InvalidAddressError, toAddress } from "../phone.js";
import {
  SETTINGS,
  describeSource,
  findSetting,
  settingOf,
  type Config,
  type Setting,
  type SettingKey,
  type SettingValue,
} from "./schema.js";

export type Source = "flag" | "env" | "file" | "default";

/** Where a value came from, for an error message: `config set` is not a flag. */
export type Origin = Source | "config set";

export interface ResolveInput {
  /** The config file's contents (nested, as conf stores them). */
  file: Record<string, unknown>;
  env: Record<string, string | undefined>;
  flags: Partial<Record<SettingKey, SettingValue | undefined>>;
  defaults: { dataDir: string };
  /** The config file's path, named when a value in it is bad. */
  filePath?: string;
}

export interface Resolved {
  config: Config;
  sources: Partial<Record<SettingKey, Source>>;
}

/** flags > environment > config file > defaults, in one pure function. */
export function resolveConfig(input: ResolveInput): Resolved {
  const config: Record<string, Record<string, SettingValue>> = {};
  const sources: Partial<Record<SettingKey, Source>> = {};
  for (const setting of SETTINGS) {
    const [group, name] = setting.key.split(".") as [string, string];
    const values = (config[group] ??= {});
    const candidates: [Source, unknown][] = [
      ["flag", input.flags[setting.key]],
      ["env", input.env[setting.env]],
      ["file", setting.stored ? getPath(input.file, setting.key) : undefined],
    ];
    const found = candidates.find(([, value]) => value !== undefined && value !== "");
    if (!found) {
      const fallback = setting.default;
      if (fallback !== undefined)
        values[name] = typeof fallback === "function" ? fallback(input.defaults) : fallback;
      continue;
    }
    const dotenv = found[0] === "env" ? dotenvOrigin(input.env, setting.env) : undefined;
    values[name] = parseSetting(
      setting,
      String(found[1]),
      found[0],
      found[0] === "env" ? dotenv : input.filePath,
    );
    sources[setting.key] = found[0];
  }

  const resolved = config as unknown as Config;
  // A national number needs phone.defaultCountry, which is only known once everything is read.
  const number = normalizeNumber(
    resolved.twilio.phoneNumber,
    resolved.phone.defaultCountry,
    sources,
  );
  if (number !== undefined) resolved.twilio.phoneNumber = number;
  resolved.routes = mergeRoutes(
    parseRoutes(input.file.routes, {
      defaultCountry: resolved.phone.defaultCountry,
      ...(input.filePath ? { filePath: input.filePath } : {}),
    }),
    {
      number: resolved.twilio.phoneNumber,
      channel: resolved.front.channelId,
      inbox: resolved.front.inboxId,
    },
  );
  // The single-route keys name the first route, so `config get` and one-route commands see it.
  const first = resolved.routes[0];
  if (first) {
    const fill = (
      key: SettingKey,
      group: Record<string, unknown>,
      name: string,
      value?: string,
    ) => {
      if (value === undefined || group[name] !== undefined) return;
      group[name] = value;
      sources[key] = "file";
    };
    fill("twilio.phoneNumber", resolved.twilio, "phoneNumber", first.number);
    fill("front.channelId", resolved.front, "channelId", first.channel);
    fill("front.inboxId", resolved.front, "inboxId", first.inbox);
  }
  return { config: resolved, sources };
}

export function parseSetting(
  setting: Setting,
  raw: string,
  origin: Origin,
  filePath?: string,
): SettingValue {
  try {
    return setting.parse(raw);
  } catch (error) {
    const where = {
      flag: setting.flag ?? "a flag",
      env: filePath ? `${setting.env} in ${filePath}` : `the environment variable ${setting.env}`,
      file: `${setting.key} in the config file${filePath ? ` ${filePath}` : ""}`,
      default: "the default",
      "config set": `\`config set ${setting.key}\``,
    }[origin];
    const hint =
      origin === "file"
        ? `Fix or remove it in the file (\`front-twilio config set ${setting.key} …\` validates a new value).`
        : origin === "env" && filePath
          ? `Fix or remove ${setting.env} in ${filePath}.`
          : `Set it with ${describeSource(setting)}.`;
    const shown = setting.secret ? maskSecret(raw) : raw;
    throw new ConfigError(
      `Invalid ${setting.key} "${shown}" from ${where}: ${(error as Error).message}.`,
      // A bad value typed on the command line is a usage error (exit 2).
      { hint, exitCode: origin === "flag" || origin === "config set" ? 2 : 1 },
    );
  }
}

function normalizeNumber(
  raw: string | undefined,
  defaultCountry: string | undefined,
  sources: Partial<Record<SettingKey, Source>>,
): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return toAddress(raw, defaultCountry);
  } catch (error) {
    if (!(error instanceof InvalidAddressError)) throw error;
    const setting = settingOf("twilio.phoneNumber");
    throw new ConfigError(
      `Invalid twilio.phoneNumber from ${describeOrigin(sources["twilio.phoneNumber"])}: ${error.message}.`,
      {
        hint: `Set it in E.164 form (+14155550100) with ${describeSource(setting)}.`,
      },
    );
  }
}

/** Throws one ConfigError naming every missing setting and how to provide it. */
export function requireSettings(
  config: Config,
  keys: readonly SettingKey[],
  command: { name: string; flags: readonly string[] },
): void {
  const missing = keys.filter((key) => getPath(config, key) === undefined);
  if (missing.length === 0) return;
  const width = Math.max(...missing.map((key) => key.length));
  const lines = missing.map(
    (key) => `  ${key.padEnd(width)}  ${describeSource(findSetting(key)!, command.flags)}`,
  );
  throw new ConfigError(`${command.name} needs settings that are missing:\n${lines.join("\n")}`, {
    hint: "Run `front-twilio init`, or set each one as listed above (`front-twilio config get` shows what is set and where from).",
  });
}

export function getPath(object: unknown, key: string): unknown {
  let current: unknown = object;
  for (const part of key.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function describeOrigin(source: Source | undefined): string {
  const setting = settingOf("twilio.phoneNumber");
  if (source === "flag") return setting.flag!;
  if (source === "env") return `the environment variable ${setting.env}`;
  return "the config file";
}
