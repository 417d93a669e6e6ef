import type { SendResult } from "../channel/channel.js";
import type { TwilioGateway } from "../clients/twilio.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import { normalizeAddress } from "../phone.js";
import type { Job, Store } from "../store/store.js";
import { shortNumber } from "../text.js";
import type { OutboundSms, Route } from "../types.js";
import { toTwilioApiError } from "../clients/twilio-errors.js";
import { FrontApiError } from "../clients/front-errors.js";
import { OPTED_OUT_REASON } from "./opt-out.js";
import { attachmentProblem, UnsendableAttachment, type OutboundMedia } from "./outbound-media.js";
import { classifyFailure, type Outcome } from "../worker/outcome.js";
import type { Worker } from "../worker/worker.js";

export interface OutboundPayload {
  sms: OutboundSms;
  from: string;
}

export interface ReplySenderOptions {
  store: Store;
  twilio: TwilioGateway;
  worker: Pick<Worker, "settle" | "wake" | "leaseMs" | "owner">;
  clock: Clock;
  logger: Logger;
  /** `<public URL>/twilio/status`, so failures come back to the bridge. */
  statusCallbackUrl?: () => string;
  /** How long an agent's send may wait for Twilio before it is answered and finished in the background. */
  deadlineMs?: number;
  defaultCountry?: string;
  /** Told whether Twilio accepted the bridge's credentials on each send (channel health). */
  onTwilioHealth?: (ok: boolean) => void;
  metrics?: Pick<Metrics, "sent" | "failed" | "duplicate">;
  /** Serves agents' attachments to Twilio (outbound MMS). */
  media: OutboundMedia;
}

/**
 * Agent replies: dedupe on (Front message id, recipient), commit, then send through Twilio within
 * a deadline. A Twilio refusal is returned to the agent; a slow or failing Twilio keeps the send
 * in the store for the worker.
 */
export function createReplySender(options: ReplySenderOptions) {
  const { store, twilio, worker, clock, logger } = options;
  const deadlineMs = options.deadlineMs ?? 5_000;
  const late = new Set<Promise<void>>();

  async function attempt(job: Job): Promise<Outcome> {
    const { sms, from } = job.payload as OutboundPayload;
    try {
      const mediaUrl = sms.attachments?.length
        ? await options.media.prepare(job.dedupeKey, sms.attachments)
        : [];
      const sent = await twilio.sendMessage({
        to: sms.to,
        from,
        body: sms.body,
        ...(mediaUrl.length ? { mediaUrl } : {}),
        ...(options.statusCallbackUrl ? { statusCallback: options.statusCallbackUrl() } : {}),
      });
      await store.linkMessage(
        {
          twilioSid: sent.sid,
          route: job.route,
          direction: "outbound",
          customer: sms.to,
          frontMessageId: sms.frontMessageId,
          ...(sms.conversationId ? { frontConversationId: sms.conversationId } : {}),
          status: sent.status,
        },
        clock.now(),
      );
      logger.info(
        `--> sms ${shortNumber(sms.to)} ${sent.sid} ${sent.status} (${sms.frontMessageId})`,
      );
      options.onTwilioHealth?.(true);
      options.metrics?.sent();
      return { kind: "done", result: { sid: sent.sid } };
    } catch (error) {
      if (error instanceof UnsendableAttachment) return { kind: "dead", error: error.message };
      if (error instanceof FrontApiError) return classifyFailure(error);
      const failure = toTwilioApiError(error);
      if (failure.status === 401 || failure.code === 20003) options.onTwilioHealth?.(false);
      if (!failure.retryable) options.metrics?.failed(failure.code);
      if (failure.code === 21610) await store.setOptedOut(sms.to, from, true, clock.now());
      return classifyFailure(failure);
    }
  }

  function refuse(sms: OutboundSms, reason: string): SendResult {
    logger.warn(`x-- sms ${shortNumber(sms.to)} refused (${sms.frontMessageId}): ${reason}`);
    return { status: "refused", sms, reason };
  }

  function resultOf(job: Job, sms: OutboundSms): SendResult {
    if (job.state === "dead")
      return { status: "refused", sms, reason: job.lastError ?? "not sent" };
    const sid = (job.result as { sid?: string } | undefined)?.sid;
    return job.state === "done" && sid ? { status: "sent", sms, sid } : { status: "queued", sms };
  }

  async function send(route: Route, raw: OutboundSms): Promise<SendResult> {
    const address = normalizeAddress(raw.to, options.defaultCountry);
    if (address.kind === "invalid") return refuse(raw, `${raw.to} is not a valid phone number`);
    const sms = { ...raw, to: address.value };
    const attachments = sms.attachments ?? [];
    if (sms.body === "" && attachments.length === 0) return refuse(sms, "the message is empty");
    const problem = attachmentProblem(attachments);
    if (problem) return refuse(sms, problem);
    // Refused before Twilio: sending to an opted-out customer harms the number's reputation.
    if (await store.isOptedOut(sms.to, route.twilioNumber)) return refuse(sms, OPTED_OUT_REASON);

    const { job, created } = await store.enqueue(
      {
        kind: "outbound",
        dedupeKey: `out:${sms.frontMessageId}:${sms.to}`,
        route: route.id,
        orderKey: `out:${sms.to}:${route.twilioNumber}`,
        payload: { sms, from: route.twilioNumber } satisfies OutboundPayload,
        claimFor: { ms: worker.leaseMs, owner: worker.owner },
      },
      clock.now(),
    );
    if (!created) {
      options.metrics?.duplicate("outbound");
      return resultOf(job, sms);
    }
    if (job.state !== "running") {
      // An older send to this customer is still pending: keep the order, let the worker send it.
      worker.wake();
      return { status: "queued", sms };
    }

    const timer = new AbortController();
    const attempted = attempt(job);
    const outcome = await Promise.race([
      attempted,
      clock.sleep(deadlineMs, timer.signal).then(() => undefined),
    ]);
    timer.abort();
    if (outcome === undefined) {
      logger.warn(
        `sms ${shortNumber(sms.to)}: Twilio is slow; answered Front and finishing in the background`,
      );
      const finishing = attempted.then((result) => worker.settle(job, result));
      late.add(finishing);
      void finishing.finally(() => late.delete(finishing));
      return { status: "queued", sms };
    }
    if (outcome.kind === "dead") {
      // The agent sees this answer in Front, so no comment is needed as well.
      await store.deadLetter(job.id, clock.now(), outcome.error);
      worker.wake();
      return refuse(sms, outcome.error);
    }
    await worker.settle(job, outcome);
    return outcome.kind === "done"
      ? { status: "sent", sms, sid: (outcome.result as { sid: string }).sid }
      : { status: "queued", sms };
  }

  return {
    send,
    /** The worker's handler for outbound jobs left in the store. */
    handleJob: attempt,
    /** Waits for sends that outlived their deadline. */
    drain: async () => void (await Promise.all([...late])),
  };
}

export type ReplySender = ReturnType<typeof createReplySender>;
