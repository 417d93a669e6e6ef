import type { Clock } from "../clock.js";
import { errorMessage } from "../errors.js";
import type { Logger } from "../log.js";
import type { PruneResult, Store } from "../store/store.js";

export interface RetentionPolicy {
  /** How long a finished job keeps its payload (the customer's text, media list). */
  payloadMs: number;
  /** How long dedupe keys and the Twilio sid ↔ Front map are kept: longer than any late retry,
   * status callback or `reconcile --since` window. */
  keyMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  payloadMs: 7 * 86_400_000,
  keyMs: 30 * 86_400_000,
};

const BATCH = 500;

/**
 * Removes what the policy allows, a bounded batch per transaction with a turn of the event loop
 * between batches, so that webhooks are never held behind a large prune.
 */
export async function pruneStore(
  store: Pick<Store, "prune">,
  clock: Clock,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): Promise<PruneResult> {
  const total: PruneResult = { payloads: 0, jobs: 0, links: 0 };
  for (;;) {
    const now = clock.now();
    const batch = await store.prune({
      payloadsBefore: now - policy.payloadMs,
      keysBefore: now - policy.keyMs,
      limit: BATCH,
    });
    total.payloads += batch.payloads;
    total.jobs += batch.jobs;
    total.links += batch.links;
    if (Math.max(batch.payloads, batch.jobs, batch.links) < BATCH) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The bridge's minute of housekeeping: expired media copies go, then what retention allows. A
 * failure is logged and tried again next minute; it never stops the bridge.
 */
export function startHousekeeping(deps: {
  store: Pick<Store, "prune" | "deleteExpiredMedia">;
  clock: Clock;
  logger: Logger;
  retention?: RetentionPolicy;
  everyMs?: number;
}): { stop(): void } {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      await deps.store.deleteExpiredMedia(deps.clock.now());
      const pruned = await pruneStore(deps.store, deps.clock, deps.retention);
      if (pruned.jobs + pruned.payloads + pruned.links > 0)
        deps.logger.debug(
          `retention: ${pruned.payloads} payload(s), ${pruned.jobs} finished job(s), ${pruned.links} link(s) removed`,
        );
    } catch (error) {
      deps.logger.error(`housekeeping: ${errorMessage(error)}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), deps.everyMs ?? 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
