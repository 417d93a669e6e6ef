import type { IncomingMessage } from "node:http";
import { randomBytes } from "node:crypto";
import { createCallerNames } from "./bridge/caller-names.js";
import { createOutboundMedia } from "./bridge/outbound-media.js";
import { mediaRoute } from "./handlers/media.js";
import { createInboundHandler } from "./bridge/inbound.js";
import { createNotifyHandler, enqueueFailureNotice } from "./bridge/notify.js";
import { createReplySender, type OutboundPayload } from "./bridge/outbound.js";
import { startHeartbeat, thisInstance } from "./bridge/heartbeat.js";
import { startHousekeeping } from "./bridge/retention.js";
import type { FrontChannel } from "./channel/channel.js";
import { createFrontChannel } from "./channel/choose.js";
import type { FrontClient } from "./clients/front.js";
import { createTwilioGateway, type TwilioGateway } from "./clients/twilio.js";
import { createMediaFetcher } from "./clients/twilio-media.js";
import { systemClock, type Clock } from "./clock.js";
import type { HttpResponse } from "./http/http.js";
import { createRouter } from "./http/router.js";
import { silentLogger, type Logger } from "./log.js";
import { createMetrics } from "./metrics.js";
import { frontRoute } from "./handlers/front.js";
import { healthzRoute } from "./handlers/healthz.js";
import { metricsRoute } from "./handlers/metrics.js";
import { twilioSmsRoute } from "./handlers/twilio-sms.js";
import { twilioStatusRoute } from "./handlers/twilio-status.js";
import type { BridgeSettings, Tuning } from "./settings.js";
import type { PaceBudget } from "./store/pace-budget.js";
import type { Store } from "./store/store.js";
import { guardStore } from "./store/store-faults.js";
import { makeRoute, type Route } from "./types.js";
import { createPacer } from "./worker/pacer.js";
import { createWorker } from "./worker/worker.js";

export interface BridgeDeps {
  settings: BridgeSettings;
  store: Store;
  clock?: Clock;
  logger?: Logger;
  fetch?: typeof globalThis.fetch;
  twilio?: TwilioGateway;
  tuning?: Tuning;
  /** Where the pacer keeps its grants: shared by instances on one database (default: in memory). */
  paceBudget?: PaceBudget;
}

export interface Bridge {
  handle: (req: IncomingMessage) => Promise<HttpResponse>;
  channel: FrontChannel;
  /** Front's Core API, when a token is configured (always in custom mode). */
  front: FrontClient | undefined;
  twilio: TwilioGateway;
  /** The (Twilio number, Front channel) pair this bridge serves. */
  route: Route;
  /** Something was queued outside a request (reconcile, an operator's retry): deliver it now. */
  wake(): void;
  /** The public base URL signatures are checked against; the tunnel changes it. */
  publicUrl(): string;
  setPublicUrl(url: string): void;
  start(): void;
  /** Finishes in-flight work; the caller closes the HTTP server first and the store last. */
  stop(): Promise<void>;
}

/** The composition root: every collaborator of the bridge is built or passed in here. */
export async function createBridge(deps: BridgeDeps): Promise<Bridge> {
  const { settings } = deps;
  // A full or failing disk becomes StoreUnavailableError: 503 to webhooks, a throttled log line.
  const store = guardStore(deps.store);
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const tuning = deps.tuning ?? {};
  // Twilio signs the URL it calls; behind a dev tunnel that URL changes while the bridge runs.
  let publicUrl = settings.publicUrl;

  const pacer = createPacer({
    clock,
    ...(deps.paceBudget ? { budget: deps.paceBudget } : {}),
    ...tuning.pacing,
    ...(tuning.paceMs === undefined
      ? {}
      : { minIntervalMs: tuning.paceMs, burst: { count: 1, windowMs: tuning.paceMs } }),
  });
  const twilio = deps.twilio ?? createTwilioGateway(settings.twilio);
  const {
    channel,
    core: front,
    routeKey,
  } = createFrontChannel(settings.front, {
    pacer,
    clock,
    logger,
    store,
    publicUrl: () => publicUrl,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(settings.defaultCountry ? { defaultCountry: settings.defaultCountry } : {}),
  });
  const route = makeRoute(settings.twilio.phoneNumber, routeKey);
  const metrics = createMetrics({ store, route, clock });
  const routeFor = (number: string) => (number === route.twilioNumber ? route : undefined);

  const worker = createWorker({
    store,
    clock,
    logger,
    ...(tuning.pollMs === undefined ? {} : { pollMs: tuning.pollMs }),
    ...(tuning.faultLogIntervalMs === undefined
      ? {}
      : { faultLogIntervalMs: tuning.faultLogIntervalMs }),
    backoff: {
      ...(tuning.retryBaseMs === undefined ? {} : { baseMs: tuning.retryBaseMs }),
      ...(tuning.maxBackoffMs === undefined ? {} : { capMs: tuning.maxBackoffMs }),
    },
    handlers: {
      inbound: createInboundHandler({
        metrics,
        ...(tuning.doubtMs === undefined ? {} : { doubtMs: tuning.doubtMs }),
        media: createMediaFetcher(settings.twilio),
        ...(settings.callerNames
          ? {
              callerNames: createCallerNames({
                store,
                twilio,
                ...(front ? { front } : {}),
                clock,
                logger,
                metrics,
              }),
            }
          : {}),
        channel,
        store,
        clock,
        logger,
        routes: (id) => (id === route.id ? route : undefined),
      }),
      outbound: (job) => replies.handleJob(job),
      notify: createNotifyHandler({
        channel,
        logger,
        routes: (id) => (id === route.id ? route : undefined),
      }),
    },
    onRetry: (job) => metrics.retried(job.kind),
    onDead: async (job, error) => {
      metrics.deadLettered(job.kind);
      // The agent was told "sent" when this was queued; now they must learn it was not.
      if (job.kind !== "outbound") return;
      const { sms } = job.payload as OutboundPayload;
      if (!sms.conversationId) return;
      await enqueueFailureNotice(
        { store, clock, wake: () => worker.wake() },
        job.route,
        `notify:${job.dedupeKey}`,
        {
          conversationId: sms.conversationId,
          customer: sms.to,
          frontMessageId: sms.frontMessageId,
          reason: error,
        },
      );
    },
  });
  const mediaSecret = (await store.getMeta("media.secret")) ?? (await newMediaSecret(store));
  const replies = createReplySender({
    metrics,
    media: createOutboundMedia({
      store,
      channel,
      clock,
      secret: mediaSecret,
      publicUrl: () => publicUrl,
      ...(tuning.mediaTtlMs === undefined ? {} : { ttlMs: tuning.mediaTtlMs }),
    }),
    store,
    twilio,
    worker,
    clock,
    logger,
    statusCallbackUrl: () => `${publicUrl}/twilio/status`,
    onTwilioHealth: (ok) =>
      void channel
        .twilioHealth(ok)
        .catch((error: unknown) =>
          logger.error(`could not update the channel status: ${String(error)}`),
        ),
    ...(tuning.sendDeadlineMs === undefined ? {} : { deadlineMs: tuning.sendDeadlineMs }),
    ...(tuning.doubtMs === undefined ? {} : { doubtMs: tuning.doubtMs }),
    ...(settings.defaultCountry ? { defaultCountry: settings.defaultCountry } : {}),
  });

  const common = { store, clock, logger, metrics, wake: () => worker.wake() };
  let housekeeping: { stop(): void } | undefined;
  let heartbeat: { stop(): void } | undefined;
  const handle = createRouter([
    {
      method: "POST",
      path: "/twilio/sms",
      handler: twilioSmsRoute({
        ...common,
        authToken: settings.twilio.authToken,
        accountSid: settings.twilio.accountSid,
        signedUrl: () => `${publicUrl}/twilio/sms`,
        routeFor,
        ...(settings.defaultCountry ? { defaultCountry: settings.defaultCountry } : {}),
      }),
    },
    {
      method: "POST",
      path: "/twilio/status",
      handler: twilioStatusRoute({
        ...common,
        authToken: settings.twilio.authToken,
        accountSid: settings.twilio.accountSid,
        signedUrl: () => `${publicUrl}/twilio/status`,
      }),
    },
    ...channel.methods.map((method) => ({
      method,
      path: "/front/:token",
      handler: frontRoute({ channel, route, replies, logger }),
    })),
    {
      method: "GET",
      path: "/media/:token",
      handler: mediaRoute({ store, clock, secret: mediaSecret }),
    },
    {
      method: "GET",
      path: "/metrics",
      handler: metricsRoute({ metrics, ...(settings.admin ? { admin: settings.admin } : {}) }),
    },
    {
      method: "GET",
      path: "/healthz",
      handler: healthzRoute({
        store,
        clock,
        mode: settings.mode,
        routes: [route],
        startedAt: clock.now(),
        ...(settings.admin ? { admin: settings.admin } : {}),
      }),
    },
  ]);

  return {
    handle,
    channel,
    front,
    twilio,
    route,
    wake: () => worker.wake(),
    publicUrl: () => publicUrl,
    setPublicUrl: (url) => void (publicUrl = url),
    start: () => {
      worker.start();
      heartbeat = startHeartbeat({
        store,
        clock,
        logger,
        instance: thisInstance(worker.owner, clock.now()),
      });
      // Agents' attachments are served for an hour; finished jobs are kept as retention says.
      housekeeping = startHousekeeping({
        store,
        clock,
        logger,
        ...(tuning.retention ? { retention: tuning.retention } : {}),
      });
    },
    stop: async () => {
      housekeeping?.stop();
      heartbeat?.stop();
      await replies.drain();
      await worker.stop();
    },
  };
}

/** The key of /media/<token> signatures: made once, kept in the store so restarts honour old URLs. */
async function newMediaSecret(store: Store): Promise<string> {
  const secret = randomBytes(32).toString("base64url");
  await store.setMeta("media.secret", secret);
  return secret;
}
