import { outboundKey } from "./job-keys.js";
import type { SendResult } from "./front-channel.js";
import type { SentMessage, TwilioGateway } from "../clients/twilio.js";
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
import { applyEarlyStatuses } from "./status.js";
import { attachmentProblem, UnsendableAttachment, type OutboundMedia } from "./outbound-media.js";
import { classifyFailure, DEFAULT_DOUBT_MS, type Outcome } from "../worker/outcome.js";
import type { Worker } from "../worker/worker.js";

export interface OutboundPayload {
  sms: OutboundSms;
  from: string;
  /** The route's Messaging Service, when it sends through one. */
  messagingServiceSid?: string;
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
  /** How long an interrupted send may still take effect at Twilio (see Tuning.doubtMs). */
  doubtMs?: number;
}

/** Twilio's clock and ours may disagree; look this much further back. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** A retry whose request may have taken effect keeps the job's attempt mark, so it looks first. */
function withDoubt(outcome: Outcome, inDoubt: boolean): Outcome {
  return inDoubt && outcome.kind === "retry" ? { ...outcome, inDoubt: true } : outcome;
}

/**
 * Agent replies: dedupe on (Front message id, recipient), commit, then send through Twilio within
 * a deadline. A Twilio refusal is returned to the agent; a slow or failing Twilio keeps the send
 * in the store for the worker.
 */
export function createReplySender(options: ReplySenderOptions) {
  const { store, twilio, worker, clock, logger } = options;
  const deadlineMs = options.deadlineMs ?? 5_000;
  const doubtMs = options.doubtMs ?? DEFAULT_DOUBT_MS;
  const statusDeps = {
    store,
    clock,
    logger,
    wake: () => worker.wake(),
    metrics: { failed: (route: string, code?: number) => options.metrics?.failed(route, code) },
  };
  const late = new Set<Promise<void>>();

  /** Records a send Twilio accepted (or that a lookup found), then applies any early callbacks. */
  async function recordSent(
    job: Job,
    sms: OutboundSms,
    sent: SentMessage,
    how = "",
  ): Promise<Outcome> {
    const link = {
      twilioSid: sent.sid,
      route: job.route,
      direction: "outbound" as const,
      customer: sms.to,
      frontMessageId: sms.frontMessageId,
      ...(sms.conversationId ? { frontConversationId: sms.conversationId } : {}),
      status: sent.status,
    };
    await store.linkMessage(link, clock.now());
    await applyEarlyStatuses(statusDeps, link);
    logger.info(
      `--> sms ${shortNumber(sms.to)} ${sent.sid} ${sent.status} (${sms.frontMessageId})${how}`,
    );
    options.onTwilioHealth?.(true);
    options.metrics?.sent(job.route);
    return { kind: "done", result: { sid: sent.sid } };
  }

  /**
   * The attempt before this one may have reached Twilio (the bridge died, or its request timed out
   * or was reset): ask Twilio's message list for it. Only a message no other Front message claims
   * is taken, so two identical replies to one customer stay two.
   */
  async function findEarlierSend(
    sms: OutboundSms,
    from: string,
    startedAt: number,
  ): Promise<SentMessage | undefined> {
    const candidates = await twilio.listSentMessages(
      sms.to,
      from,
      new Date(startedAt - CLOCK_SKEW_MS),
    );
    const media = sms.attachments?.length ?? 0;
    for (const candidate of candidates) {
      if (candidate.body !== sms.body || candidate.numMedia !== media) continue;
      const link = await store.findMessage(candidate.sid);
      if (link && link.frontMessageId !== sms.frontMessageId) continue;
      return { sid: candidate.sid, status: candidate.status };
    }
    return undefined;
  }

  async function attempt(job: Job): Promise<Outcome> {
    const { sms, from, messagingServiceSid } = job.payload as OutboundPayload;
    // True while a request of this job may have reached Twilio without its answer being recorded.
    let inDoubt = job.attemptStartedAt !== null;
    try {
      if (job.attemptStartedAt !== null) {
        const found = await findEarlierSend(sms, from, job.attemptStartedAt);
        if (found) return await recordSent(job, sms, found, " (found after an interrupted send)");
        // Not listed yet is not absent while the earlier request may still be at work in Twilio.
        const certainAt = job.attemptStartedAt + doubtMs;
        const now = clock.now();
        if (now < certainAt)
          return {
            kind: "retry",
            error:
              "an interrupted send is not in Twilio's list yet; looking again before resending",
            retryAfterMs: certainAt - now,
            inDoubt: true,
            uncounted: true,
          };
      }
      const mediaUrl = sms.attachments?.length
        ? await options.media.prepare(job.route, job.dedupeKey, sms.attachments)
        : [];
      // Durable before the request leaves: a crash from here on leads to a lookup, not a resend.
      await store.startAttempt(job.id, clock.now());
      inDoubt = true;
      const sent = await twilio.sendMessage({
        to: sms.to,
        from,
        ...(messagingServiceSid ? { messagingServiceSid } : {}),
        body: sms.body,
        ...(mediaUrl.length ? { mediaUrl } : {}),
        ...(options.statusCallbackUrl ? { statusCallback: options.statusCallbackUrl() } : {}),
      });
      inDoubt = false;
      return await recordSent(job, sms, sent);
    } catch (error) {
      if (error instanceof UnsendableAttachment) return { kind: "dead", error: error.message };
      if (error instanceof FrontApiError) return withDoubt(classifyFailure(error), inDoubt);
      const failure = toTwilioApiError(error);
      // A 4xx answer means Twilio created nothing; no answer or a 5xx leaves it unknown.
      if (failure.status >= 400 && failure.status < 500) inDoubt = false;
      if (failure.status === 401 || failure.code === 20003) options.onTwilioHealth?.(false);
      if (!failure.retryable) options.metrics?.failed(job.route, failure.code);
      if (failure.code === 21610) await store.setOptedOut(sms.to, from, true, clock.now());
      return withDoubt(classifyFailure(failure), inDoubt);
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
        dedupeKey: outboundKey(sms.frontMessageId, sms.to),
        route: route.id,
        orderKey: `out:${sms.to}:${route.twilioNumber}`,
        payload: {
          sms,
          from: route.twilioNumber,
          ...(route.messagingServiceSid ? { messagingServiceSid: route.messagingServiceSid } : {}),
        } satisfies OutboundPayload,
        claimFor: { ms: worker.leaseMs, owner: worker.owner },
      },
      clock.now(),
    );
    if (!created) {
      options.metrics?.duplicate(route.id, "outbound");
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
