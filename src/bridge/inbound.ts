import { inboundKey } from "./job-keys.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import type { ServedRoute } from "./route-table.js";
import type { MediaFetcher } from "../clients/twilio-media.js";
import type { CallerNames } from "./caller-names.js";
import { collectMedia } from "./inbound-media.js";
import type { Job, Store } from "../store/store.js";
import { shortNumber } from "../text.js";
import { normalizeAddress } from "../phone.js";
import { optOutChange } from "./opt-out.js";
import { enqueueConversationTag } from "./conversation-tag.js";
import { threadKey, type InboundSms, type Route } from "../types.js";
import { classifyFailure, DEFAULT_DOUBT_MS, type Outcome } from "../worker/outcome.js";
import { FrontApiError } from "../clients/front-errors.js";

const E164 = /^\+[1-9]\d{7,14}$/;

function senderOf(raw: string, defaultCountry?: string): string {
  const sender = normalizeAddress(raw, defaultCountry);
  return sender.kind === "invalid" ? raw.trim() : sender.value;
}

/**
 * Commits a customer's message as an inbound job, once per MessageSid: the one way in, for the
 * webhook and for `reconcile` alike.
 */
export async function acceptInboundSms(
  store: Store,
  route: Route,
  message: Omit<InboundSms, "to" | "optOut"> & { optOutType?: string },
  now: number,
  defaultCountry?: string,
): Promise<{ created: boolean; sms: InboundSms }> {
  // Twilio passes a caller ID it cannot normalise as it is; keep such a sender rather than lose it.
  // A sender already in E.164 is kept as it is whether or not it validates, so it needs no parse.
  const from = E164.test(message.from) ? message.from : senderOf(message.from, defaultCountry);
  const { optOutType, ...fields } = message;
  const change = optOutChange(message.body, optOutType);
  const sms: InboundSms = {
    ...fields,
    from,
    to: route.twilioNumber,
    ...(change ? { optOut: change } : {}),
  };
  const { created } = await store.enqueue(
    {
      kind: "inbound",
      dedupeKey: inboundKey(sms.messageSid),
      route: route.id,
      orderKey: `in:${threadKey(from, route.twilioNumber)}`,
      payload: sms,
    },
    now,
  );
  // Recorded at acceptance, so a reply written a second later is already refused.
  if (created && change) {
    await store.setOptedOut(from, route.twilioNumber, change === "stop", now);
    const kind = change === "stop" ? "opt-out" : "opt-in";
    await store.recordFact({ route: route.id, kind, ref: sms.messageSid, at: now });
  }
  return { created, sms };
}

/** The worker's handler for inbound jobs: one customer message into the Front channel. */
export function createInboundHandler(deps: {
  store: Store;
  clock: Clock;
  logger: Logger;
  routes: (id: string) => ServedRoute | undefined;
  metrics: Pick<Metrics, "delivered">;
  /** Present when enrich.callerName is on. */
  callerNames?: CallerNames;
  media: MediaFetcher;
  /** How long a cut-off post may still be importing in Front (see Tuning.doubtMs). */
  doubtMs?: number;
  /** Wakes the worker for a job this one queued (a conversation tag). */
  wake?: () => void;
}) {
  const doubtMs = deps.doubtMs ?? DEFAULT_DOUBT_MS;

  function record(sms: InboundSms, route: Route, frontMessageUid?: string, how = "") {
    // Not awaited: the link and the job's completion are committed in the same transaction, one
    // fsync after Front's answer (the window in which a crash would post the message again).
    const linked = deps.store.linkMessage(
      {
        twilioSid: sms.messageSid,
        route: route.id,
        direction: "inbound",
        customer: sms.from,
        ...(frontMessageUid ? { frontMessageUid } : {}),
        status: "delivered-to-front",
      },
      deps.clock.now(),
    );
    const now = deps.clock.now();
    // For `report`: Twilio's webhook (receivedAt) to Front's acceptance, kept past retention.
    const fact = deps.store.recordFact({
      route: route.id,
      kind: "inbound",
      ref: sms.messageSid,
      at: now,
      latencyMs: Math.max(0, now - sms.receivedAt),
    });
    for (const write of [linked, fact])
      write.catch((error: unknown) =>
        deps.logger.error(`could not record ${sms.messageSid}: ${String(error)}`),
      );
    deps.logger.info(
      `<-- front ${shortNumber(sms.from)} ${sms.messageSid} delivered (${frontMessageUid ?? "-"})${how}`,
    );
    deps.metrics.delivered(route.id);
    return { kind: "done", result: frontMessageUid ? { frontMessageUid } : undefined } as const;
  }

  /** The last post may have reached Front: "found", or a wait while it may still be importing. */
  async function lookUp(sms: InboundSms, { route, channel }: ServedRoute, startedAt: number) {
    if (!channel.findInbound) return undefined;
    const last = await deps.store.lastFrontLink(sms.from, route.id);
    const verdict = await channel.findInbound(sms, route, {
      ...(last?.frontMessageUid ? { lastUid: last.frontMessageUid } : {}),
      ...(last?.frontConversationId ? { conversationId: last.frontConversationId } : {}),
    });
    if (verdict === "found")
      return record(sms, route, undefined, " (found in Front after an interrupted post)");
    const certainAt = startedAt + doubtMs;
    const now = deps.clock.now();
    // Front imports asynchronously: a message it accepted a moment ago may not be listed yet.
    if (verdict === "absent" && now < certainAt)
      return {
        kind: "retry",
        error:
          "an interrupted post is not in Front's conversation yet; looking again before posting",
        retryAfterMs: certainAt - now,
        inDoubt: true,
        uncounted: true,
      } as const;
    return undefined;
  }

  return async (job: Job): Promise<Outcome> => {
    const sms = job.payload as InboundSms;
    const served = deps.routes(job.route);
    if (!served) return { kind: "dead", error: `no route ${job.route} is configured any more` };
    const { route, channel } = served;
    let inDoubt = job.attemptStartedAt !== null;
    try {
      if (job.attemptStartedAt !== null) {
        const settled = await lookUp(sms, served, job.attemptStartedAt);
        if (settled) return settled;
      }
      const name = deps.callerNames && (await deps.callerNames.nameFor(sms.from));
      // Media are fetched inside the job: a failed download is retried with the delivery.
      const extras = sms.media?.length
        ? await collectMedia(sms, deps.media)
        : { attachments: [], notes: [] };
      // Durable before the post leaves: after a crash, Front is asked before posting again.
      await deps.store.startAttempt(job.id, deps.clock.now());
      inDoubt = true;
      const { frontMessageUid } = await channel.deliverInbound(
        name ? { ...sms, senderName: name } : sms,
        route,
        extras,
      );
      // Committed before this job completes: after a crash the tag job is queued again (once).
      if (route.tag && frontMessageUid)
        await enqueueConversationTag(
          { store: deps.store, clock: deps.clock, wake: deps.wake ?? (() => undefined) },
          route.id,
          { frontMessageUid, tag: route.tag },
        );
      return record(sms, route, frontMessageUid);
    } catch (error) {
      // An answer below 500 means Front took nothing; no answer or a 5xx leaves it unknown.
      if (error instanceof FrontApiError && error.status > 0 && error.status < 500) inDoubt = false;
      const outcome = classifyFailure(error);
      return inDoubt && outcome.kind === "retry" ? { ...outcome, inDoubt: true } : outcome;
    }
  };
}
