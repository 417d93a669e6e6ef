import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Custom channel and rule webhooks: X-Front-Signature = base64(HMAC-SHA1(secret, raw body)).
 * No timestamp exists in this scheme, so replays are stopped by dedupe on the message id.
 */
export function signFrontCustom(secret: string, rawBody: Buffer | string): string {
  return createHmac("sha1", secret).update(rawBody).digest("base64");
}

export function verifyFrontCustom(
  secret: string,
  rawBody: Buffer | string,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  return safeEqual(signFrontCustom(secret, rawBody), signature);
}

/** Constant-time string comparison that does not leak the length through an exception. */
export function safeEqual(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}
