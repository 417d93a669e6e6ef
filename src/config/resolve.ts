import { ConfigError } from "../errors.js";
import { dotenvOrigin } from "../dotenv.js";
import { maskSecret } from "../log.js";
import { InvalidAddressError, toAddress } from "../phone.js";
import {
  SETTINGS,
  describeSource,
  findSetting,
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
  const values: Partial<Record<SettingKey, SettingValue>> = {};
  const sources: Partial<Record<SettingKey, Source>> = {};
  for (const setting of SETTINGS) {
    const candidates: [Source, unknown][] = [
      ["flag", input.flags[setting.key]],
      ["env", input.env[setting.env]],
      ["file", setting.stored ? getPath(input.file, setting.key) : undefined],
    ];
    const found = candidates.find(([, value]) => value !== undefined && value !== "");
    if (!found) continue;
    const dotenv = found[0] === "env" ? dotenvOrigin(input.env, setting.env) : undefined;
    values[setting.key] = parseSetting(
      setting,
      String(found[1]),
      found[0],
      found[0] === "env" ? dotenv : input.filePath,
    );
    sources[setting.key] = found[0];
  }

  const str = (key: SettingKey) => values[key] as string | undefined;
  const defaultCountry = str("phone.defaultCountry");
  const config: Config = {
    front: compact({
      mode: (str("front.mode") ?? "custom") as Config["front"]["mode"],
      apiToken: str("front.apiToken"),
      channelId: str("front.channelId"),
      inboxId: str("front.inboxId"),
      webhookSecret: str("front.webhookSecret"),
      webhookToken: str("front.webhookToken"),
      appUid: str("front.appUid"),
      appSecret: str("front.appSecret"),
    }),
    twilio: compact({
      accountSid: str("twilio.accountSid"),
      authToken: str("twilio.authToken"),
      apiKey: str("twilio.apiKey"),
      apiSecret: str("twilio.apiSecret"),
      phoneNumber: normalizeNumber(str("twilio.phoneNumber"), defaultCountry, sources),
    }),
    phone: compact({ defaultCountry }),
    bridge: compact({
      publicUrl: str("bridge.publicUrl"),
      port: (values["bridge.port"] as number | undefined) ?? 3000,
      host: str("bridge.host") ?? "0.0.0.0",
      dataDir: str("bridge.dataDir") ?? input.defaults.dataDir,
      adminToken: str("bridge.adminToken"),
      databaseUrl: str("bridge.databaseUrl"),
    }),
    enrich: { callerName: (values["enrich.callerName"] as boolean | undefined) ?? false },
    log: {
      format: (str("log.format") ?? "text") as Config["log"]["format"],
      level: (str("log.level") ?? "info") as Config["log"]["level"],
    },
    api: compact({
      frontUrl: str("api.frontUrl") ?? "https://api2.frontapp.com",
      twilioUrl: str("api.twilioUrl"),
    }),
  };
  return { config, sources };
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
    const setting = findSetting("twilio.phoneNumber")!;
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

/** Drops undefined members, so optional properties stay absent (exactOptionalPropertyTypes). */
function compact<T extends object>(object: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as never;
}

function describeOrigin(source: Source | undefined): string {
  const setting = findSetting("twilio.phoneNumber")!;
  if (source === "flag") return setting.flag!;
  if (source === "env") return `the environment variable ${setting.env}`;
  return "the config file";
}
