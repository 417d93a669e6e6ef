/** What Front's rate-limit headers said on the last response. */
export interface RateLimitInfo {
  limit?: number;
  remaining?: number;
  /** Epoch milliseconds when the window resets. */
  resetAt?: number;
  /** How long Front asked us to wait (429 Retry-After), in milliseconds. */
  retryAfterMs?: number;
}

/** A failed Front call. status 0 means the request never got an HTTP answer (network, timeout). */
export class FrontApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly rate: RateLimitInfo = {},
  ) {
    super(message);
    this.name = "FrontApiError";
  }

  /** 429, 5xx and network errors are worth retrying; other 4xx never are. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export function readRateLimit(headers: Headers, now: number, errorMessage = ""): RateLimitInfo {
  const info: RateLimitInfo = {};
  const limit = numberHeader(headers, "x-ratelimit-limit");
  const remaining = numberHeader(headers, "x-ratelimit-remaining");
  const reset = numberHeader(headers, "x-ratelimit-reset");
  if (limit !== undefined) info.limit = limit;
  if (remaining !== undefined) info.remaining = remaining;
  // Front sends a UNIX timestamp in seconds; accept milliseconds too.
  if (reset !== undefined) info.resetAt = reset > 1e12 ? reset : reset * 1000;
  const retryAfter = parseRetryAfter(headers.get("retry-after"), now);
  if (retryAfter !== undefined) info.retryAfterMs = retryAfter;
  else {
    // Observed body: "Rate limit exceeded for tier-2 route. Please retry in 341 milliseconds."
    const match = /retry in (\d+) milliseconds/i.exec(errorMessage);
    if (match) info.retryAfterMs = Number(match[1]);
  }
  return info;
}

export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `_error` bodies are usually an object, sometimes without status/title, once documented as an array. */
export function parseFrontError(status: number, bodyText: string): string {
  let detail = bodyText.trim().slice(0, 300);
  try {
    const body = JSON.parse(bodyText) as { _error?: unknown; message?: unknown };
    const error = (Array.isArray(body._error) ? body._error[0] : body._error) as
      { title?: string; message?: string; details?: string[] } | undefined;
    const parts = [error?.title, error?.message, ...(error?.details ?? [])].filter(Boolean);
    if (parts.length > 0) detail = parts.join(": ");
    else if (typeof body.message === "string") detail = body.message;
  } catch {
    // not JSON: keep the text
  }
  return `Front answered ${status}${detail ? `: ${detail}` : ""}`;
}

function numberHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || value === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}
