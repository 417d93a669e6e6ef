import { outboundKey } from "./job-keys.js";
import type { Clock } from "../clock.js";
import { explainTwilioError } from "../clients/twilio-errors.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import type { MessageLink, Store } from "../store/store.js";
import { routeNumber } from "../types.js";
import { enqueueFailureNotice } from "./notify.js";

export interface StatusDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  wake: () => void;
  metrics: Pick<Metrics, "failed">;
}

const FAILED = new Set(["failed", "undelivered"]);

/**
 * Records a delivery status of a message the bridge sent; a failure becomes one notice to the
 * agent per (sid, status). Used by the status callback route, and when the sid of a send is learned
 * after its callbacks arrived (they were kept, see Store.keepEarlyStatus).
 */
export async function applyStatus(
  deps: StatusDeps,
  link: MessageLink,
  status: string,
  code: number | undefined,
): Promise<void> {
  const sid = link.twilioSid;
  await deps.store.linkMessage(
    { ...link, status, ...(code ? { errorCode: code } : {}) },
    deps.clock.now(),
  );
  deps.logger.info(`--> status ${sid} ${status}${code ? ` ${code}` : ""}`);
  if (FAILED.has(status) && link.status !== status) deps.metrics.failed(link.route, code);
  await recordStatusFact(deps, link, status, code);
  if (code === 21610)
    await deps.store.setOptedOut(link.customer, routeNumber(link.route), true, deps.clock.now());
  if (FAILED.has(status) && link.frontConversationId) {
    await enqueueFailureNotice(deps, link.route, `status:${sid}:${status}`, {
      twilioSid: sid,
      conversationId: link.frontConversationId,
      customer: link.customer,
      reason: explainTwilioError(code, `Twilio reported the message ${status}`),
      ...(link.frontMessageId ? { frontMessageId: link.frontMessageId } : {}),
    });
  }
}

/**
 * A reply's final status, for `report`: delivered with the time since the agent's reply reached
 * the bridge (its outbound job's creation), or failed with Twilio's code.
 */
async function recordStatusFact(
  deps: StatusDeps,
  link: MessageLink,
  status: string,
  code: number | undefined,
): Promise<void> {
  if (link.direction !== "outbound" || (status !== "delivered" && !FAILED.has(status))) return;
  const at = deps.clock.now();
  const base = { route: link.route, ref: link.twilioSid, at };
  if (FAILED.has(status)) {
    await deps.store.recordFact({ ...base, kind: "failed", code: code ?? 0 });
    return;
  }
  const job = link.frontMessageId
    ? await deps.store.getByKey(outboundKey(link.frontMessageId, link.customer))
    : undefined;
  await deps.store.recordFact({
    ...base,
    kind: "delivered",
    ...(job ? { latencyMs: Math.max(0, at - job.createdAt) } : {}),
  });
}

/** Applies the callbacks that arrived for `link`'s sid before the bridge knew it. */
export async function applyEarlyStatuses(deps: StatusDeps, link: MessageLink): Promise<void> {
  let current = link;
  for (const early of await deps.store.takeEarlyStatuses(link.twilioSid)) {
    await applyStatus(deps, current, early.status, early.errorCode);
    current = { ...current, status: early.status };
  }
}
