/**
 * Exponential backoff with jitter for 5xx and network errors: base·2^(attempt-1), capped, then
 * scaled by a random factor in [0.5, 1) so that many jobs failing together do not retry together.
 */
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  random?: () => number;
}

/**
 * The longest wait between two attempts. A minute: long enough to spare a failing Front or Twilio,
 * short enough that a customer's next message is not held back for long (FRONT_TWILIO_MAX_BACKOFF).
 */
export const DEFAULT_MAX_BACKOFF_MS = 60_000;

export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1_000;
  const cap = options.capMs ?? DEFAULT_MAX_BACKOFF_MS;
  const random = options.random ?? Math.random;
  const exponential = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}
