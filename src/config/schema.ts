import { isIP } from "node:net";
import { isCountryCode, normalizeAddress } from "../phone.js";

/**
 * Every setting front-twilio knows: its config key, environment variable, flag and default.
 * The single source of truth for `resolveConfig`, `config get|set` and the README table.
 */
export type ChannelMode = "custom" | "application";
export type LogFormat = "text" | "json";
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Config {
  front: {
    mode: ChannelMode;
    apiToken?: string;
    channelId?: string;
    inboxId?: string;
    webhookSecret?: string;
    webhookToken?: string;
    appUid?: string;
    appSecret?: string;
  };
  twilio: {
    accountSid?: string;
    authToken?: string;
    apiKey?: string;
    apiSecret?: string;
    phoneNumber?: string;
  };
  phone: { defaultCountry?: string };
  bridge: {
    publicUrl?: string;
    port: number;
    host: string;
    dataDir: string;
    adminToken?: string;
    databaseUrl?: string;
  };
  enrich: { callerName: boolean };
  log: { format: LogFormat; level: LogLevel };
  api: { frontUrl: string; twilioUrl?: string };
}

export type SettingKey =
  | "front.mode"
  | "front.apiToken"
  | "front.channelId"
  | "front.inboxId"
  | "front.webhookSecret"
  | "front.webhookToken"
  | "front.appUid"
  | "front.appSecret"
  | "twilio.accountSid"
  | "twilio.authToken"
  | "twilio.apiKey"
  | "twilio.apiSecret"
  | "twilio.phoneNumber"
  | "phone.defaultCountry"
  | "bridge.publicUrl"
  | "bridge.port"
  | "bridge.host"
  | "bridge.dataDir"
  | "bridge.adminToken"
  | "bridge.databaseUrl"
  | "enrich.callerName"
  | "log.format"
  | "log.level"
  | "api.frontUrl"
  | "api.twilioUrl";

export type SettingValue = string | number | boolean;

export interface Setting {
  key: SettingKey;
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
  description: string;
  parse: (raw: string) => SettingValue;
}

const text = (raw: string) => raw.trim();

function prefixed(prefix: string, what: string) {
  return (raw: string) => {
    const value = raw.trim();
    if (!value.startsWith(prefix)) throw new Error(`${what} starts with "${prefix}"`);
    return value;
  };
}

function oneOf(...values: string[]) {
  return (raw: string) => {
    const value = raw.trim();
    if (!values.includes(value)) throw new Error(`expected one of ${values.join(", ")}`);
    return value;
  };
}

function port(raw: string) {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error("expected a port number from 0 to 65535");
  }
  return value;
}

function bool(raw: string) {
  const value = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off", ""].includes(value)) return false;
  throw new Error("expected true or false");
}

/**
 * The bridge's own number: a phone number in E.164 (national forms are normalised in resolve, where
 * phone.defaultCountry is known) or a 5–6 digit short code. Refuses what can never be one ("12").
 */
export function twilioNumber(raw: string): string {
  const value = raw.trim();
  if (/^\d{5,6}$/.test(value)) return value;
  const digits = value.replace(/\D/g, "");
  const address = normalizeAddress(value);
  if (
    address.kind === "phone" ||
    (!value.startsWith("+") && digits.length >= 7 && /^[\d\s().-]+$/.test(value))
  )
    return value;
  throw new Error(
    "expected a phone number in E.164 form such as +14155550100 (or a national number with phone.defaultCountry set, or a 5–6 digit short code)",
  );
}

function country(raw: string): string {
  const value = raw.trim().toUpperCase();
  if (!isCountryCode(value))
    throw new Error("expected a two-letter ISO 3166 country code such as US, GB or FR");
  return value;
}

function host(raw: string): string {
  const value = raw.trim();
  if (
    isIP(value) ||
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(value)
  )
    return value;
  throw new Error("expected an IP address or host name such as 0.0.0.0, 127.0.0.1 or ::");
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Twilio and Front reach the bridge here; only a local address may be plain http (tests, demo). */
export function publicUrl(raw: string): string {
  const value = baseUrl(raw);
  const url = new URL(value);
  if (url.protocol === "http:" && !LOCAL_HOSTS.has(url.hostname))
    throw new Error(
      "expected an https:// URL such as https://sms.example.com (plain http only for localhost); Twilio and Front must reach the bridge over TLS",
    );
  return value;
}

/** Base URL without a trailing slash; http(s) only. */
export function baseUrl(raw: string): string {
  const value = raw.trim().replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error("expected an absolute URL such as https://sms.example.com");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error("expected an http:// or https:// URL");
  }
  if (url.search || url.hash) throw new Error("leave out the query string and #fragment");
  return value;
}

export const SETTINGS: readonly Setting[] = [
  {
    key: "front.mode",
    env: "FRONT_CHANNEL_MODE",
    flag: "--front-mode",
    stored: true,
    description: "custom or application",
    parse: oneOf("custom", "application"),
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
    description: "Front channel ID (cha_…)",
    parse: prefixed("cha_", "a Front channel ID"),
  },
  {
    key: "front.inboxId",
    env: "FRONT_INBOX_ID",
    flag: "--front-inbox",
    stored: true,
    description: "Front inbox ID (inb_…)",
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
    description: "unguessable path token of /front/<token>",
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
    description: "the Twilio number, E.164",
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
    description: "public base URL of the bridge",
    parse: publicUrl,
  },
  {
    key: "bridge.port",
    env: "PORT",
    flag: "--port",
    stored: true,
    description: "port the bridge listens on",
    parse: port,
  },
  {
    key: "bridge.host",
    env: "FRONT_TWILIO_HOST",
    flag: "--host",
    stored: true,
    description: "address the bridge listens on",
    parse: host,
  },
  {
    key: "bridge.dataDir",
    env: "FRONT_TWILIO_DATA_DIR",
    flag: "--data-dir",
    stored: true,
    description: "where the SQLite store lives",
    parse: text,
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
    key: "bridge.databaseUrl",
    env: "FRONT_TWILIO_DATABASE_URL",
    flag: "--database-url",
    // postgres://user:password@host/db: it can hold a password.
    secret: true,
    stored: true,
    description: "postgres://… selects the shared PostgreSQL store (several instances)",
    parse: text,
  },
  {
    key: "enrich.callerName",
    env: "FRONT_TWILIO_CALLER_NAME",
    stored: true,
    description: "Twilio Lookup caller names (billed)",
    parse: bool,
  },
  {
    key: "log.format",
    env: "FRONT_TWILIO_LOG_FORMAT",
    flag: "--log-format",
    stored: true,
    description: "text (date, time, level) or json (one object per line)",
    parse: oneOf("text", "json"),
  },
  {
    key: "log.level",
    env: "FRONT_TWILIO_LOG_LEVEL",
    flag: "--log-level",
    stored: true,
    description: "least level logged: debug, info, warn or error",
    parse: oneOf("debug", "info", "warn", "error"),
  },
  {
    key: "api.frontUrl",
    env: "FRONT_API_URL",
    stored: false,
    description: "Front API base URL",
    parse: baseUrl,
  },
  {
    key: "api.twilioUrl",
    env: "TWILIO_API_URL",
    stored: false,
    description: "replaces scheme and host of *.twilio.com calls",
    parse: baseUrl,
  },
];

export function findSetting(key: string): Setting | undefined {
  return SETTINGS.find((setting) => setting.key === key);
}

/** How to provide a setting; `flags` lists the flags the current command accepts (all when absent). */
export function describeSource(setting: Setting, flags?: readonly string[]): string {
  const flag = setting.flag && (!flags || flags.includes(setting.flag)) ? setting.flag : undefined;
  const stored = setting.stored ? `\`front-twilio config set ${setting.key} …\`` : undefined;
  return [flag, setting.env, stored].filter(Boolean).join(", ");
}
