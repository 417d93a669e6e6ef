import { fetchBridge } from "../../live/bridge-request.js";
import type { TwilioGateway } from "../../clients/twilio.js";
import type { Clock } from "../../clock.js";
import type { Config } from "../../config/schema.js";
import { errorMessage } from "../../errors.js";
import { openExistingStore } from "../../store/open-store.js";
import type { Store } from "../../store/store.js";
import type { Progress } from "./progress.js";

export const FINAL = new Set(["delivered", "read", "undelivered", "failed", "canceled"]);

export interface Followed {
  status: string;
  errorCode: number | null;
}

/**
 * When the bridge answers at its public URL and its store is on this machine, Twilio's status
 * callbacks reach the bridge, which records them in the store: send-test can follow those instead
 * of polling Twilio.
 */
export async function bridgeCallbacks(
  config: Config,
): Promise<{ statusCallback: string; store: Store } | undefined> {
  const publicUrl = config.bridge.publicUrl;
  if (!publicUrl) return undefined;
  const healthy = await fetchBridge(`${publicUrl}/healthz`, { timeoutMs: 5_000 })
    .then((response) => response.ok)
    .catch(() => false);
  if (!healthy) return undefined;
  const store = await openExistingStore(config.bridge);
  return store && { statusCallback: `${publicUrl}/twilio/status`, store };
}

/**
 * Follows the callbacks the bridge records and, at the same time, polls Twilio: a callback can be
 * lost (a tunnel that dropped, a test account that sends none), so whichever reports a final status
 * first wins and send-test always finishes.
 */
export async function followCallbacks(
  store: Store,
  twilio: TwilioGateway,
  sid: string,
  initial: string,
  deadline: number,
  clock: Clock,
  pollMs: number,
  progress: Progress,
): Promise<Followed> {
  let followed: Followed = { status: initial, errorCode: null };
  let nextPoll = clock.now() + pollMs;
  while (!FINAL.has(followed.status) && clock.now() < deadline) {
    progress.update(
      `${sid}: ${followed.status} (following Twilio's status callbacks through the bridge, and polling)`,
    );
    await clock.sleep(Math.min(250, pollMs));
    const link = await store.findMessage(sid);
    if (link?.status && link.status !== followed.status)
      followed = { status: link.status, errorCode: link.errorCode ?? null };
    if (FINAL.has(followed.status) || clock.now() < nextPoll) continue;
    nextPoll = clock.now() + pollMs;
    const polled = await twilio.fetchMessage(sid).catch(() => undefined);
    if (polled && FINAL.has(polled.status))
      followed = { status: polled.status, errorCode: polled.errorCode };
  }
  return followed;
}

/** Polls the Message until it reaches a final status (no bridge to receive callbacks). */
export async function pollTwilio(
  twilio: TwilioGateway,
  sid: string,
  initial: string,
  deadline: number,
  clock: Clock,
  pollMs: number,
  progress: Progress,
): Promise<Followed> {
  let followed: Followed = { status: initial, errorCode: null };
  while (!FINAL.has(followed.status) && clock.now() < deadline) {
    progress.update(`${sid}: ${followed.status}`);
    await clock.sleep(pollMs);
    try {
      const { status, errorCode } = await twilio.fetchMessage(sid);
      followed = { status, errorCode };
    } catch (error) {
      progress.update(
        `${sid}: ${followed.status} (could not read the status: ${errorMessage(error)})`,
      );
    }
  }
  return followed;
}
