import { createHmac } from "node:crypto";
import { safeEqual } from "./front-signature.js";

/**
 * Application channels: X-Front-Signature = base64(HMAC-SHA256(app secret, "<timestamp>:<raw body>"))
 * with X-Front-Request-Timestamp; requests older than the window are replays.
 */
export function signFrontApp(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac("sha256", secret).update(`${timestamp}:`).update(rawBody).digest("base64");
}

export const REPLAY_WINDOW_MS = 5 * 60_000;

export type AppVerdict = "ok" | "missing" | "bad-signature" | "stale";

/**
 * A POST is checked over `<timestamp>:<raw body>` and nothing else. Front signs a DELETE over
 * `<timestamp>:undefined` whatever its body (front-api.md §3.1), so a DELETE is checked over that
 * string only, and such a signature proves no more than "Front removed the channel": the caller
 * must not read the body of a DELETE.
 */
export function verifyFrontApp(
  secret: string,
  request: {
    timestamp: string | undefined;
    signature: string | undefined;
    rawBody: Buffer;
    now: number;
    method: string;
  },
): AppVerdict {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) return "missing";
  if (!/^\d{1,16}$/.test(timestamp)) return "bad-signature";
  const value = Number(timestamp);
  // Documented in seconds, observed in milliseconds: accept both.
  const ms = value > 1e12 ? value : value * 1000;
  const signed = request.method === "DELETE" ? "undefined" : request.rawBody;
  if (!safeEqual(signFrontApp(secret, timestamp, signed), signature)) return "bad-signature";
  return Math.abs(request.now - ms) > REPLAY_WINDOW_MS ? "stale" : "ok";
}
