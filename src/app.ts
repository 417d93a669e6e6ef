import type { IncomingMessage } from "node:http";
import { createCallerNames } from "./bridge/caller-names.js";
import { createDeadLetterRule } from "./bridge/dead-letters.js";
import { createInboundHandler } from "./bridge/inbound.js";
import { conversationTagApi, createConversationTagHandler } from "./bridge/conversation-tag.js";
import { mediaSecret } from "./bridge/media-secret.js";
import { createNotifyHandler } from "./bridge/notify.js";
import { createOutboundMedia } from "./bridge/outbound-media.js";
import { createReplySender } from "./bridge/outbound.js";
import { startHeartbeat, thisInstance } from "./bridge/heartbeat.js";
import { startHousekeeping } from "./bridge/retention.js";
import { createRouteTable, type ServedRoute } from "./bridge/route-table.js";
import { createUnroutedLog } from "./bridge/unrouted.js";
import { createFrontChannels } from "./channel/choose.js";
import type { FrontClient } from "./clients/front.js";
import { createTwilioGateway, type TwilioGateway } from "./clients/twilio.js";
import { createMediaFetcher } from "./clients/twilio-media.js";
import { systemClock, type Clock } from "./clock.js";
import { bridgeEndpoints } from "./handlers/endpoints.js";
import type { HttpResponse } from "./http/http.js";
import { createRouter } from "./http/router.js";
import { silentLogger, type Logger } from "./log.js";
import { createMetrics } from "./metrics.js";
import { routesOf, type BridgeSettings, type Tuning } from "./settings.js";
import type { PaceBudget } from "./store/pace-budget.js";
import type { Store } from "./store/store.js";
import { guardStore } from "./store/store-faults.js";
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
  /** Every (Twilio number, Front channel) pair this bridge serves, with its channel. */
  routes: readonly ServedRoute[];
  /** Front's Core API, when a token is configured (always in custom mode). */
  front: FrontClient | undefined;
  twilio: TwilioGateway;
  /** Something was queued outside a request (reconcile, an operator's retry): deliver it now. */
  wake(): void;
  /** The public base URL signatures are checked against; the tunnel changes it. */
  publicUrl(): string;
  setPublicUrl(url: string): void;
  start(): void;
  /** Finishes in-flight work; the caller closes the HTTP server first and the store last. */
  stop(): Promise<void>;
}

/**
 * The composition root: every collaborator of the bridge is built or passed in here, and wired
 * to the rules in bridge/ (inbound, outbound, notify, dead letters) and the HTTP handlers.
 */
export async function createBridge(deps: BridgeDeps): Promise<Bridge> {
  const { settings } = deps;
  // A full or failing disk becomes StoreUnavailableError: 503 to webhooks, a throttled log line.
  const store = guardStore(deps.store);
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const tuning = deps.tuning ?? {};
  // Twilio signs the URL it calls; behind a dev tunnel that URL changes while the bridge runs.
  let publicUrl = settings.publicUrl;
  const country = settings.defaultCountry ? { defaultCountry: settings.defaultCountry } : {};

  const pacer = createPacer({
    clock,
    ...(deps.paceBudget ? { budget: deps.paceBudget } : {}),
    ...tuning.pacing,
    ...(tuning.paceMs === undefined
      ? {}
      : { minIntervalMs: tuning.paceMs, burst: { count: 1, windowMs: tuning.paceMs } }),
  });
  const twilio = deps.twilio ?? createTwilioGateway(settings.twilio);
  const { served, core: front } = createFrontChannels(settings.front, routesOf(settings), {
    pacer,
    clock,
    logger,
    store,
    publicUrl: () => publicUrl,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...country,
  });
  const routes = createRouteTable(served);
  const metrics = createMetrics({ store, clock });
  const wake = () => worker.wake();

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
        store,
        clock,
        logger,
        routes: routes.byId,
      }),
      outbound: (job) => replies.handleJob(job),
      notify: createNotifyHandler({ logger, routes: routes.byId }),
      tag: createConversationTagHandler({
        api: conversationTagApi(settings.front, front, {
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          pacer,
        }),
        store,
        clock,
        logger,
      }),
    },
    onRetry: (job) => metrics.retried(job.route, job.kind),
    onDead: createDeadLetterRule({ store, clock, metrics, wake }),
  });
  const secret = await mediaSecret(store);
  const replies = createReplySender({
    metrics,
    media: createOutboundMedia({
      store,
      channelFor: (id) => routes.byId(id)?.channel,
      clock,
      secret,
      publicUrl: () => publicUrl,
      ...(tuning.mediaTtlMs === undefined ? {} : { ttlMs: tuning.mediaTtlMs }),
    }),
    store,
    twilio,
    worker,
    clock,
    logger,
    statusCallbackUrl: () => `${publicUrl}/twilio/status`,
    // One Twilio account serves every route: each channel shows whether it can send.
    onTwilioHealth: (ok) => {
      for (const { channel } of served)
        void channel
          .twilioHealth(ok)
          .catch((error: unknown) =>
            logger.error(`could not update the channel status: ${String(error)}`),
          );
    },
    ...(tuning.sendDeadlineMs === undefined ? {} : { deadlineMs: tuning.sendDeadlineMs }),
    ...(tuning.doubtMs === undefined ? {} : { doubtMs: tuning.doubtMs }),
    ...country,
  });

  const handle = createRouter(
    bridgeEndpoints({
      store,
      clock,
      logger,
      metrics,
      wake,
      twilio: { authToken: settings.twilio.authToken, accountSid: settings.twilio.accountSid },
      publicUrl: () => publicUrl,
      routes: served,
      routeFor: (number) => routes.byNumber(number)?.route,
      unrouted: createUnroutedLog({ store, clock }),
      replies,
      mediaSecret: secret,
      mode: settings.mode,
      ...(settings.admin ? { admin: settings.admin } : {}),
      ...country,
    }),
  );

  let housekeeping: { stop(): void } | undefined;
  let heartbeat: { stop(): void } | undefined;
  return {
    handle,
    routes: served,
    front,
    twilio,
    wake,
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
