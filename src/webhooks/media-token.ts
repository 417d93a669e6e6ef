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

const TOKEN = /^([A-Za-z0-9_-]{1,64})\.(\d{1,15})\.[A-Za-z0-9_-]{43}$/;

/**
 * The media id of a token the bridge issued and that has not expired. Only the exact spelling the
 * bridge made is accepted: the whole token is signed again and compared, so `0x…`, leading zeros
 * or anything appended do not verify.
 */
export function verifyMediaToken(secret: string, token: string, now: number): string | undefined {
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const [, id = "", expiry = ""] = match;
  if (!safeEqual(signMediaToken(secret, id, Number(expiry)), token)) return undefined;
  return Number(expiry) > now ? id : undefined;
}
