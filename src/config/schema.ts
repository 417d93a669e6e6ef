import {
  baseUrl,
  bool,
  country,
  databaseUrl,
  duration,
  host,
  milliseconds,
  oneOf,
  port,
  prefixed,
  publicUrl,
  text,
  twilioNumber,
} from "./parsers.js";
import type { RouteConfig } from "./routes.js";

/**
 * Every setting front-twilio knows, declared once: config key, environment variable, flag,
 * validator, secrecy, default and description. The Config type, resolution (flags > environment
 * and .env > config file > defaults), `config get|set`, the flags' --help texts and the README's
 * settings reference all come from this table.
 */
export type SettingValue = string | number | boolean;

export interface Setting {
  key: string;
  env: string;
  /** The command-line flag that sets it, where there is one. */
  flag?: string;
  secret?: boolean;
  /**
   * A secret the user must paste somewhere (the /front/<token> path token): `config get KEY`
   * names it and prints it in full; every other output masks it.
   */
  revealOnRequest?: boolean;
  /** Saved in the config file; base URLs come from the environment only. */
  stored: boolean;
  /** Hidden knobs for tests and benchmarks: listed apart in `config get` and the README. */
  tuning?: boolean;
  description: string;
  parse: (raw: string) => SettingValue;
  /** The value when nothing sets it: a constant, or computed from where the profile lives. */
  default?: SettingValue | ((context: DefaultsContext) => SettingValue);
  /** The default as people write it, where the value itself does not read well (7d, a path). */
  defaultText?: string;
}

export interface DefaultsContext {
  /** `<config dir>/data/<profile>`. */
  dataDir: string;
}

const TABLE = [
  {
    key: "front.mode",
    env: "FRONT_CHANNEL_MODE",
    flag: "--front-mode",
    stored: true,
    description: "custom or application",
    parse: oneOf("custom", "application"),
    default: "custom",
  },
  {
    key: "front.apiToken",
    env: "FRONT_API_TOKEN",
    flag: "--front-token",
    secret: true,
    stored: true,
    description: "Front Core API token",
    parse: text,
  },
  {
    key: "front.channelId",
    env: "FRONT_CHANNEL_ID",
    flag: "--front-channel",
    stored: true,
    description: "Front channel ID (cha_…) of the single-route setup",
    parse: prefixed("cha_", "a Front channel ID"),
  },
  {
    key: "front.inboxId",
    env: "FRONT_INBOX_ID",
    flag: "--front-inbox",
    stored: true,
    description: "Front inbox ID (inb_…) of the single-route setup",
    parse: prefixed("inb_", "a Front inbox ID"),
  },
  {
    key: "front.webhookSecret",
    env: "FRONT_WEBHOOK_SECRET",
    flag: "--front-webhook-secret",
    secret: true,
    stored: true,
    description: "secret for X-Front-Signature (custom mode)",
    parse: text,
  },
  {
    key: "front.webhookToken",
    env: "FRONT_TWILIO_WEBHOOK_TOKEN",
    secret: true,
    revealOnRequest: true,
    stored: true,
    description: "unguessable path token of /front/<token> (single route; the app's URL)",
    parse: text,
  },
  {
    key: "front.appUid",
    env: "FRONT_APP_UID",
    flag: "--front-app-uid",
    stored: true,
    description: "Front app UID (application mode)",
    parse: text,
  },
  {
    key: "front.appSecret",
    env: "FRONT_APP_SECRET",
    flag: "--front-app-secret",
    secret: true,
    stored: true,
    description: "Front app secret (application mode)",
    parse: text,
  },
  {
    key: "twilio.accountSid",
    env: "TWILIO_ACCOUNT_SID",
    flag: "--twilio-account-sid",
    stored: true,
    description: "Twilio Account SID (AC…)",
    parse: prefixed("AC", "a Twilio Account SID"),
  },
  {
    key: "twilio.authToken",
    env: "TWILIO_AUTH_TOKEN",
    flag: "--twilio-auth-token",
    secret: true,
    stored: true,
    description: "Twilio Auth Token (signs webhooks)",
    parse: text,
  },
  {
    key: "twilio.apiKey",
    env: "TWILIO_API_KEY",
    flag: "--twilio-api-key",
    stored: true,
    description: "Twilio API key SID (SK…), optional",
    parse: prefixed("SK", "a Twilio API key SID"),
  },
  {
    key: "twilio.apiSecret",
    env: "TWILIO_API_SECRET",
    flag: "--twilio-api-secret",
    secret: true,
    stored: true,
    description: "Twilio API key secret, optional",
    parse: text,
  },
  {
    key: "twilio.phoneNumber",
    env: "TWILIO_PHONE_NUMBER",
    flag: "--twilio-number",
    stored: true,
    description: "the Twilio number of the single-route setup, E.164",
    parse: twilioNumber,
  },
  {
    key: "phone.defaultCountry",
    env: "FRONT_TWILIO_DEFAULT_COUNTRY",
    flag: "--default-country",
    stored: true,
    description: "country for numbers written without +",
    parse: country,
  },
  {
    key: "bridge.publicUrl",
    env: "FRONT_TWILIO_PUBLIC_URL",
    flag: "--public-url",
    stored: true,
    description: "public base URL Twilio and Front reach the bridge at",
    parse: publicUrl,
  },
  {
    key: "bridge.port",
    env: "PORT",
    flag: "--port",
    stored: true,
    description: "port the bridge listens on",
    parse: port,
    default: 3000,
  },
  {
    key: "bridge.host",
    env: "FRONT_TWILIO_HOST",
    flag: "--host",
    stored: true,
    description: "address the bridge listens on",
    parse: host,
    default: "0.0.0.0",
  },
  {
    key: "bridge.dataDir",
    env: "FRONT_TWILIO_DATA_DIR",
    flag: "--data-dir",
    stored: true,
    description: "where the SQLite store lives",
    parse: text,
    default: (context: DefaultsContext) => context.dataDir,
    defaultText: "`<config dir>/data/<profile>`",
  },
  {
    key: "bridge.databaseUrl",
    env: "FRONT_TWILIO_DATABASE_URL",
    flag: "--database-url",
    secret: true,
    stored: true,
    description: "postgres://… selects the shared PostgreSQL store (several instances)",
    parse: databaseUrl,
  },
  {
    key: "bridge.adminToken",
    env: "FRONT_TWILIO_ADMIN_TOKEN",
    secret: true,
    stored: true,
    description: "bearer token for /metrics and the detailed /healthz",
    parse: text,
  },
  {
    key: "enrich.callerName",
    env: "FRONT_TWILIO_CALLER_NAME",
    stored: true,
    description: "Twilio Lookup caller names (billed)",
    parse: bool,
    default: false,
  },
  {
    key: "log.format",
    env: "FRONT_TWILIO_LOG_FORMAT",
    flag: "--log-format",
    stored: true,
    description: "text (date, time, level) or json (one object per line)",
    parse: oneOf("text", "json"),
    default: "text",
  },
  {
    key: "log.level",
    env: "FRONT_TWILIO_LOG_LEVEL",
    flag: "--log-level",
    stored: true,
    description: "least level logged: debug, info, warn or error",
    parse: oneOf("debug", "info", "warn", "error"),
    default: "info",
  },
  {
    key: "retention.payloads",
    env: "FRONT_TWILIO_RETENTION",
    stored: true,
    description: "how long finished messages keep their text and media references",
    parse: duration(),
    default: 7 * 86_400_000,
    defaultText: "7d",
  },
  {
    key: "retention.keys",
    env: "FRONT_TWILIO_KEY_RETENTION",
    stored: true,
    description: "how long dedupe keys and SID links are kept (at least retention.payloads)",
    parse: duration(),
    default: 30 * 86_400_000,
    defaultText: "30d",
  },
  {
    key: "api.frontUrl",
    env: "FRONT_API_URL",
    stored: false,
    description: "Front API base URL",
    parse: baseUrl,
    default: "https://api2.frontapp.com",
  },
  {
    key: "api.twilioUrl",
    env: "TWILIO_API_URL",
    stored: false,
    description: "replaces scheme and host of *.twilio.com calls",
    parse: baseUrl,
  },
  {
    key: "tuning.maxBackoff",
    env: "FRONT_TWILIO_MAX_BACKOFF",
    stored: true,
    tuning: true,
    description: "longest wait between two attempts of a message (default 60s)",
    parse: duration({ positive: true }),
  },
  {
    key: "tuning.retryBaseMs",
    env: "FRONT_TWILIO_RETRY_BASE_MS",
    stored: true,
    tuning: true,
    description: "first retry delay in ms, doubled per attempt",
    parse: milliseconds,
  },
  {
    key: "tuning.sendDeadlineMs",
    env: "FRONT_TWILIO_SEND_DEADLINE_MS",
    stored: true,
    tuning: true,
    description: "how long an agent's send may take before Front is told it is queued",
    parse: milliseconds,
  },
  {
    key: "tuning.pollMs",
    env: "FRONT_TWILIO_POLL_MS",
    stored: true,
    tuning: true,
    description: "how often the worker and send-test look again, in ms",
    parse: milliseconds,
  },
  {
    key: "tuning.paceMs",
    env: "FRONT_TWILIO_PACE_MS",
    stored: true,
    tuning: true,
    description: "one Front call per channel per this many ms instead of Front's limits (0 = none)",
    parse: milliseconds,
  },
  {
    key: "tuning.mediaTtlMs",
    env: "FRONT_TWILIO_MEDIA_TTL_MS",
    stored: true,
    tuning: true,
    description: "how long /media/<token> serves an agent's attachment, in ms (default 1 h)",
    parse: milliseconds,
  },
  {
    key: "tuning.doubtMs",
    env: "FRONT_TWILIO_DOUBT_MS",
    stored: true,
    tuning: true,
    description:
      "how long a request with a lost answer may still take effect, in ms (default 10 s)",
    parse: milliseconds,
  },
] as const satisfies readonly Setting[];

type Entry = (typeof TABLE)[number];
export type SettingKey = Entry["key"];

/** The table, each entry seen as a plain Setting (its key typed). */
export const SETTINGS: readonly (Setting & { key: SettingKey })[] = TABLE;

type ValueOf<E> = E extends { parse: (raw: string) => infer V } ? V : never;
type GroupOf<K> = K extends `${infer G}.${string}` ? G : never;
type Required<G extends string> = {
  [E in Entry as E extends { key: `${G}.${infer N}`; default: unknown } ? N : never]: ValueOf<E>;
};
type Optional<G extends string> = {
  [
    E in Entry as E extends { key: `${G}.${infer N}` }
      ? E extends { default: unknown }
        ? never
        : N
      : never
  ]?: ValueOf<E>;
};

/** The resolved configuration: `config.bridge.port`, typed from the table above, and the routes. */
export type Config = { [G in GroupOf<SettingKey>]: Required<G> & Optional<G> } & {
  routes: RouteConfig[];
};
export type ChannelMode = Config["front"]["mode"];
export type LogFormat = Config["log"]["format"];
export type LogLevel = Config["log"]["level"];

export function findSetting(key: string): (Setting & { key: SettingKey }) | undefined {
  return SETTINGS.find((setting) => setting.key === key);
}

export function settingOf(key: SettingKey): Setting & { key: SettingKey } {
  return findSetting(key)!;
}

/** How to provide a setting; `flags` lists the flags the current command accepts (all when absent). */
export function describeSource(setting: Setting, flags?: readonly string[]): string {
  const flag = setting.flag && (!flags || flags.includes(setting.flag)) ? setting.flag : undefined;
  const stored = setting.stored ? `\`front-twilio config set ${setting.key} …\`` : undefined;
  return [flag, setting.env, stored].filter(Boolean).join(", ");
}

/** The --help text of a setting's flag: the description and the variable that also sets it. */
export function flagHelp(setting: Setting): string {
  return `${setting.description} (${setting.env})`;
}
