import type { RecordedRequest, Reply } from "./stand-in.js";

export interface FrontRateLimitOptions {
  /** Requests per window for the whole company (Front: 50, 100 or 200 per minute by plan). */
  perWindow: number;
  /** The company window; 60 s as Front has it (benchmarks may shrink time). */
  windowMs?: number;
  /** Burst limit per channel on resource-intensive routes (Front: about 5 per second). */
  perChannelPerSecond?: number;
  /** The burst window: a second, as Front has it (benchmarks may shrink time). */
  burstWindowMs?: number;
  now?: () => number;
}

export interface FrontRateLimits {
  /** A 429 for a request over a limit, or the rate-limit headers for an admitted one. */
  admit(request: RecordedRequest): { reply: Reply } | { headers: Record<string, string> };
  readonly refused: { company: number; burst: number };
}

const INTENSIVE = /^\/channels\/([^/]+)\/(incoming_messages|inbound_messages)$/;

/**
 * Front's limits as its docs describe them (front-api.md §9): a company-wide budget per fixed
 * window announced by x-ratelimit-limit/-remaining/-reset, and a per-channel burst limit that
 * answers 429 even while budget remains. Both refuse with Retry-After.
 */
export function createFrontRateLimits(options: FrontRateLimitOptions): FrontRateLimits {
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? 60_000;
  const burst = options.perChannelPerSecond ?? 5;
  const burstWindow = options.burstWindowMs ?? 1_000;
  const started = now();
  let windowStart = started;
  let used = 0;
  const recent = new Map<string, number[]>();
  const refused = { company: 0, burst: 0 };

  const headers = (remaining: number) => ({
    "x-ratelimit-limit": String(options.perWindow),
    "x-ratelimit-remaining": String(Math.max(0, remaining)),
    "x-ratelimit-reset": String(Math.ceil((windowStart + windowMs) / 1000)),
  });
  const tooMany = (retryMs: number, message: string, remaining: number): { reply: Reply } => ({
    reply: {
      status: 429,
      headers: {
        ...headers(remaining),
        "retry-after": String(Math.max(1, Math.ceil(retryMs / 1000))),
      },
      body: { _error: { status: 429, title: "Too many requests", message } },
    },
  });

  return {
    refused,
    admit(request) {
      const at = now();
      while (at >= windowStart + windowMs) {
        windowStart += windowMs;
        used = 0;
      }
      const channel = INTENSIVE.exec(request.path)?.[1];
      if (channel && request.method === "POST") {
        const times = (recent.get(channel) ?? []).filter((t) => t > at - burstWindow);
        recent.set(channel, times);
        if (times.length >= burst) {
          refused.burst++;
          const wait = times[0]! + burstWindow - at;
          return tooMany(
            wait,
            `Rate limit exceeded for tier-2 route. Please retry in ${wait} milliseconds.`,
            options.perWindow - used,
          );
        }
        times.push(at);
      }
      if (used >= options.perWindow) {
        refused.company++;
        return tooMany(windowStart + windowMs - at, "Rate limit exceeded", 0);
      }
      used++;
      return { headers: headers(options.perWindow - used) };
    },
  };
}
