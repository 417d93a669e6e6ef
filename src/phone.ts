import { createRequire } from "node:module";
import type * as Libphonenumber from "libphonenumber-js/max";
import type { CountryCode } from "libphonenumber-js/max";

// libphonenumber's full metadata takes a noticeable part of a second to load: it is loaded on the
// first number, not by every command (`--help` parses none).
type PhoneLib = typeof Libphonenumber;
let lib: PhoneLib | undefined;
const phoneLib = (): PhoneLib =>
  (lib ??= createRequire(import.meta.url)("libphonenumber-js/max") as PhoneLib);

/** An ISO 3166-1 alpha-2 code libphonenumber knows (for phone.defaultCountry). */
export function isCountryCode(value: string): boolean {
  return phoneLib().isSupportedCountry(value);
}

export type Address =
  | { kind: "phone"; value: string }
  | { kind: "other"; value: string }
  | { kind: "invalid"; value: string; reason: string };

const MAX_ADDRESS_LENGTH = 128;
const CHANNEL_PREFIX = /^[a-z]+:/i; // whatsapp:+1…, messenger:…, rcs:…
const SHORT_CODE = /^\d{3,8}$/;
const ALPHANUMERIC_SENDER = /^(?=.*[a-z])[a-z0-9 ]{1,11}$/i;

/**
 * The one place numbers are normalised. Phone numbers come out in E.164 so that
 * `+1 (415) 555-0100`, `14155550100` and `+14155550100` are one customer; channel addresses,
 * short codes and alphanumeric sender IDs pass through unchanged.
 */
export function normalizeAddress(raw: string, defaultCountry?: string): Address {
  // Every webhook names our number and a customer's: the same few strings, parsed once each.
  const key = `${defaultCountry ?? ""}|${raw}`;
  const known = cache.get(key);
  if (known) return known;
  const address = parseAddress(raw, defaultCountry);
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(key, address);
  return address;
}

const CACHE_SIZE = 10_000;
const cache = new Map<string, Address>();

function parseAddress(raw: string, defaultCountry?: string): Address {
  // Longer than any address a carrier routes; refused before any pattern or parser sees it.
  if (raw.length > MAX_ADDRESS_LENGTH)
    return { kind: "invalid", value: raw.slice(0, 20), reason: "it is too long to be an address" };
  const value = raw.trim();
  if (value === "") return { kind: "invalid", value, reason: "it is empty" };
  if (CHANNEL_PREFIX.test(value)) return { kind: "other", value };
  if (SHORT_CODE.test(value)) return { kind: "other", value };
  if (ALPHANUMERIC_SENDER.test(value)) return { kind: "other", value };

  const country = defaultCountry?.toUpperCase() as CountryCode | undefined;
  const parsed =
    phoneLib().parsePhoneNumberFromString(
      value,
      country ? { defaultCountry: country } : undefined,
    ) ??
    // Twilio and Front both write North American numbers as 1XXXXXXXXXX without a plus.
    (/^\d{11,15}$/.test(value) ? phoneLib().parsePhoneNumberFromString(`+${value}`) : undefined);
  if (parsed?.isValid()) return { kind: "phone", value: parsed.number };
  const hint = value.startsWith("+") || country ? "" : " (write it with + and the country code)";
  return { kind: "invalid", value, reason: `it is not a valid phone number${hint}` };
}

/** Normalises or throws, for values that must be usable addresses. */
export function toAddress(raw: string, defaultCountry?: string): string {
  const address = normalizeAddress(raw, defaultCountry);
  if (address.kind === "invalid") throw new InvalidAddressError(raw, address.reason);
  return address.value;
}

export class InvalidAddressError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`"${input}" is not a usable address: ${reason}`);
  }
}
