import { createHmac } from "node:crypto";
import { safeEqual } from "./front-signature.js";
import { parseForm, type FormParams } from "./form.js";

/**
 * The string Twilio signs after the URL (twilio-api.md §2.1): parameter names in code-unit order,
 * each appended as name + value with no separator; a repeated name's values de-duplicated and
 * sorted. Built once per request, in one pass over the fields.
 */
export function twilioSignedParams(form: FormParams): string {
  const parts: string[] = [];
  for (const name of Object.keys(form).sort()) {
    const value = form[name]!;
    if (typeof value === "string") parts.push(name, value);
    else for (const item of [...new Set(value)].sort()) parts.push(name, item);
  }
  return parts.join("");
}

/**
 * The X-Twilio-Signature for a form-encoded request to `url` (the exact URL configured in Twilio,
 * never one rebuilt from request headers). Known-answer tests hold it to twilio-node's results.
 */
export function signTwilio(
  authToken: string,
  url: string,
  body: Buffer | string | FormParams,
): string {
  return hmac(authToken, url, twilioSignedParams(toForm(body)));
}

/**
 * Constant-time check of the header against the URL as configured and its port variants (Twilio
 * may sign `https://host/…` as `https://host:443/…`, as twilio-node's validateRequest allows).
 * Computed directly: one pass to build the signed string, one HMAC per variant.
 */
export function verifyTwilio(
  authToken: string,
  url: string,
  body: Buffer | string | FormParams,
  signature: string | undefined,
): boolean {
  if (!signature || !authToken) return false;
  const params = twilioSignedParams(toForm(body));
  return urlVariants(url).some((candidate) =>
    safeEqual(hmac(authToken, candidate, params), signature),
  );
}

function hmac(authToken: string, url: string, params: string): string {
  return createHmac("sha1", authToken).update(url, "utf8").update(params, "utf8").digest("base64");
}

function toForm(body: Buffer | string | FormParams): FormParams {
  return typeof body === "string" || Buffer.isBuffer(body) ? parseForm(body) : body;
}

/**
 * The URLs twilio-node's validateRequest accepts for a configured URL: as given and as `new URL()`
 * normalises it, each without a port and with the scheme's default port. (Its legacy-querystring
 * variants are left out: the bridge's webhook URLs carry no query string.)
 */
export function urlVariants(url: string): string[] {
  let variants = variantsOf.get(url);
  if (!variants) {
    if (variantsOf.size > 100) variantsOf.clear();
    variants = computeVariants(url);
    variantsOf.set(url, variants);
  }
  return variants;
}

// The configured URL changes only with the tunnel: its variants are worked out once.
const variantsOf = new Map<string, string[]>();

function computeVariants(url: string): string[] {
  let normalized = url;
  try {
    normalized = new URL(url).toString();
  } catch {
    // Not a URL: only the string as given can match.
  }
  // The URL exactly as configured first: it is the one Twilio signs, so usually one HMAC suffices.
  return [...new Set([url, ...[url, normalized].flatMap((u) => [removePort(u), addPort(u)])])];
}

function splitUrl(url: string) {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!match) return undefined;
  const [prefix, scheme = "", authority = ""] = match;
  const userInfoEnd = authority.lastIndexOf("@");
  const hostAndPort = authority.slice(userInfoEnd + 1);
  // A colon starts the port only after the closing bracket of an IPv6 literal.
  const portStart = hostAndPort.indexOf(":", hostAndPort.lastIndexOf("]") + 1);
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? "" : hostAndPort.slice(portStart),
    rest: url.slice(prefix.length),
  };
}

function removePort(url: string): string {
  const parts = splitUrl(url);
  return parts ? parts.scheme + parts.userInfo + parts.host + parts.rest : url;
}

function addPort(url: string): string {
  const parts = splitUrl(url);
  if (!parts || parts.port) return url;
  const port = parts.scheme.toLowerCase() === "https://" ? ":443" : ":80";
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}
