import { isIP } from "node:net";
import { parseDuration } from "../duration.js";
import { isCountryCode, normalizeAddress } from "../phone.js";

/** The validators of the settings table: each turns a raw string into a value or says what is expected. */

export const text = (raw: string): string => raw.trim();

export function prefixed(prefix: string, what: string) {
  return (raw: string) => {
    const value = raw.trim();
    if (!value.startsWith(prefix)) throw new Error(`${what} starts with "${prefix}"`);
    return value;
  };
}

export function oneOf<T extends string>(...values: T[]) {
  return (raw: string): T => {
    const value = raw.trim();
    if (!(values as string[]).includes(value))
      throw new Error(`expected one of ${values.join(", ")}`);
    return value as T;
  };
}

export function port(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error("expected a port number from 0 to 65535");
  }
  return value;
}

export function bool(raw: string): boolean {
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

export function country(raw: string): string {
  const value = raw.trim().toUpperCase();
  if (!isCountryCode(value))
    throw new Error("expected a two-letter ISO 3166 country code such as US, GB or FR");
  return value;
}

export function host(raw: string): string {
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

/** Milliseconds, a whole number from 0 (tuning knobs: tests shorten them). */
export function milliseconds(raw: string): number {
  const value = Number(raw.trim());
  if (raw.trim() === "" || !Number.isInteger(value) || value < 0)
    throw new Error("expected a whole number of milliseconds (0 or more)");
  return value;
}

/** A duration such as 90s, 30m, 2h or 7d, in milliseconds; 0 is refused where it means nothing. */
export function duration(options: { positive?: boolean } = {}) {
  return (raw: string): number => {
    let value: number;
    try {
      // A bare number is milliseconds: what `config set` keeps in the file.
      value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : parseDuration(raw, "");
    } catch {
      throw new Error("expected a duration such as 90s, 30m, 2h or 7d");
    }
    if (options.positive && value <= 0) throw new Error("expected a duration of more than 0");
    return value;
  };
}

/** A PostgreSQL connection URL. */
export function databaseUrl(raw: string): string {
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error("expected a URL such as postgres://user:password@db.example.com:5432/frontsms");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    throw new Error("expected a postgres:// (or postgresql://) URL");
  return value;
}
