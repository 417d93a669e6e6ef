import twilio from "twilio";

/** Form parameters as Twilio sends them: every field kept, repeated names as arrays, nothing trimmed. */
export type FormParams = Record<string, string | string[]>;

export function parseForm(raw: Buffer | string): FormParams {
  const params: FormParams = {};
  for (const [name, value] of new URLSearchParams(raw.toString())) {
    const previous = params[name];
    if (previous === undefined) params[name] = value;
    else params[name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return params;
}

export function encodeForm(params: FormParams): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, item);
  }
  return search.toString();
}

/**
 * The X-Twilio-Signature for a form-encoded request to `url` (the exact URL configured in Twilio,
 * never one rebuilt from request headers). Twilio's own implementation, so sign and verify agree
 * with what Twilio sends.
 */
export function signTwilio(authToken: string, url: string, rawBody: Buffer | string): string {
  return twilio.getExpectedTwilioSignature(authToken, url, parseForm(rawBody));
}

/** Constant-time check (twilio-node compares with scmp); false for a missing or malformed header. */
export function verifyTwilio(
  authToken: string,
  url: string,
  rawBody: Buffer | string,
  signature: string | undefined,
): boolean {
  if (!signature || !authToken) return false;
  return twilio.validateRequest(authToken, signature, url, parseForm(rawBody));
}
