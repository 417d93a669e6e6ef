import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

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
    parsePhoneNumberFromString(value, country ? { defaultCountry: country } : undefined) ??
    // Twilio and Front both write North American numbers as 1XXXXXXXXXX without a plus.
    (/^\d{11,15}$/.test(value) ? parsePhoneNumberFromString(`+${value}`) : undefined);
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
