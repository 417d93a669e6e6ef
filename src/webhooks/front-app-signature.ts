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

export function verifyFrontApp(
  secret: string,
  request: {
    timestamp: string | undefined;
    signature: string | undefined;
    rawBody: Buffer;
    now: number;
    method?: string;
  },
): AppVerdict {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) return "missing";
  const value = Number(timestamp);
  if (!Number.isFinite(value)) return "bad-signature";
  // Documented in seconds, observed in milliseconds: accept both.
  const ms = value > 1e12 ? value : value * 1000;
  const matches =
    safeEqual(signFrontApp(secret, timestamp, request.rawBody), signature) ||
    // Front signs DELETE (and GET) requests as "<timestamp>:undefined", whatever their body.
    ((request.rawBody.length === 0 || request.method === "DELETE" || request.method === "GET") &&
      safeEqual(signFrontApp(secret, timestamp, "undefined"), signature));
  if (!matches) return "bad-signature";
  return Math.abs(request.now - ms) > REPLAY_WINDOW_MS ? "stale" : "ok";
}
