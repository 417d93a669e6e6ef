import { createHmac } from "node:crypto";
import { safeEqual } from "./front-signature.js";

/**
 * `/media/<token>` URLs: `<media id>.<expiry>.<HMAC-SHA256>` under a secret the bridge keeps. The id
 * is random (unguessable), the signature makes the URL unforgeable, the expiry makes it short-lived.
 */
export function signMediaToken(secret: string, id: string, expiresAt: number): string {
  const payload = `${id}.${expiresAt}`;
  return `${payload}.${createHmac("sha256", secret).update(payload).digest("base64url")}`;
}

export function verifyMediaToken(secret: string, token: string, now: number): string | undefined {
  const [id, expiry, signature] = token.split(".");
  if (!id || !expiry || !signature) return undefined;
  const expected = signMediaToken(secret, id, Number(expiry)).split(".")[2]!;
  if (!safeEqual(expected, signature)) return undefined;
  return Number(expiry) > now ? id : undefined;
}
