import type { Clock } from "../clock.js";
import type { Metrics } from "../metrics.js";
import type { Job, Store } from "../store/store.js";
import { enqueueFailureNotice } from "./notify.js";
import type { OutboundPayload } from "./outbound.js";

/**
 * What happens when a job is given up on: it is counted, and an agent's reply that was announced
 * as sent (or queued) becomes a failure notice in its Front conversation.
 */
export function createDeadLetterRule(deps: {
  store: Store;
  clock: Clock;
  metrics: Pick<Metrics, "deadLettered">;
  wake: () => void;
}) {
  return async (job: Job, error: string): Promise<void> => {
    deps.metrics.deadLettered(job.route, job.kind);
    if (job.kind !== "outbound") return;
    const { sms } = job.payload as OutboundPayload;
    if (!sms.conversationId) return;
    await enqueueFailureNotice(deps, job.route, `notify:${job.dedupeKey}`, {
      conversationId: sms.conversationId,
      customer: sms.to,
      frontMessageId: sms.frontMessageId,
      reason: error,
    });
  };
}
