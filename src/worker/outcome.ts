import { FrontApiError } from "../clients/front-errors.js";
import { TwilioApiError } from "../clients/twilio-errors.js";
import { errorMessage } from "../errors.js";

/**
 * A request cut off less than this long ago (the bridge died, or it timed out) may still take
 * effect at Twilio or Front; only after it is "not found" taken as "absent" (FRONT_TWILIO_DOUBT_MS).
 */
export const DEFAULT_DOUBT_MS = 10_000;

/** What became of one attempt at a job. */
export type Outcome =
  | { kind: "done"; result?: unknown }
  | {
      kind: "retry";
      error: string;
      retryAfterMs?: number;
      /** The request may have taken effect (timeout, reset): look it up before trying again. */
      inDoubt?: boolean;
      /** Not a failure: the job waits for certainty, so neither attempts nor backoff grow. */
      uncounted?: boolean;
    }
  | { kind: "dead"; error: string };

/**
 * Retry 429, 5xx and network errors (honouring Retry-After); a 409 from Front means the message
 * is already there; any other 4xx will never succeed, so it goes to the dead letters with the reason.
 */
export function classifyFailure(error: unknown): Outcome {
  if (error instanceof FrontApiError) {
    if (error.status === 409) return { kind: "done", result: { duplicate: true } };
    if (!error.retryable) return { kind: "dead", error: error.message };
    return error.rate.retryAfterMs === undefined
      ? { kind: "retry", error: error.message }
      : { kind: "retry", error: error.message, retryAfterMs: error.rate.retryAfterMs };
  }
  if (error instanceof TwilioApiError) {
    return error.retryable
      ? { kind: "retry", error: error.explanation }
      : { kind: "dead", error: error.explanation };
  }
  // Anything else is unexpected; retrying is safer than losing the message.
  return { kind: "retry", error: errorMessage(error) };
}
