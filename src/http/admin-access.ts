import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export interface AdminAccessOptions {
  /** bridge.adminToken: when set, only `Authorization: Bearer <token>` is let in. */
  token?: string;
  /** Without a token, let in clients on this machine (default true; off behind a dev tunnel). */
  loopback?: boolean;
}

/** granted; no credentials (or not local); a wrong token; or no token configured and not local. */
export type AdminAccess = "granted" | "anonymous" | "bad-token" | "not-local";

// A reverse proxy or tunnel on this host connects from loopback; these say it forwards someone else.
const FORWARDED = ["forwarded", "x-forwarded-for", "x-real-ip"];

/** Who is asking for the operator's view (/metrics, the detailed /healthz). */
export function adminAccess(req: IncomingMessage, options: AdminAccessOptions): AdminAccess {
  const header = req.headers.authorization;
  if (options.token) {
    if (!header) return "anonymous";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match && sameSecret(match[1]!, options.token) ? "granted" : "bad-token";
  }
  const local =
    (options.loopback ?? true) &&
    isLoopback(req.socket.remoteAddress) &&
    !FORWARDED.some((name) => req.headers[name] !== undefined);
  return local ? "granted" : "not-local";
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}

/** Constant time: both sides are hashed first, so neither length nor content leaks. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
