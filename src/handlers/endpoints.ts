import type { ServedRoute } from "../bridge/route-table.js";
import type { ReplySender } from "../bridge/outbound.js";
import type { UnroutedLog } from "../bridge/unrouted.js";
import type { Clock } from "../clock.js";
import type { AdminAccessOptions } from "../http/admin-access.js";
import type { Endpoint } from "../http/router.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import type { Store } from "../store/store.js";
import type { Route } from "../types.js";
import { frontHandler } from "./front.js";
import { healthzHandler } from "./healthz.js";
import { mediaHandler } from "./media.js";
import { metricsHandler } from "./metrics.js";
import { twilioSmsHandler } from "./twilio-sms.js";
import { twilioStatusHandler } from "./twilio-status.js";

/** The bridge's HTTP surface (product.md §5): each path and the handler that answers it. */
export function bridgeEndpoints(deps: {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  wake: () => void;
  twilio: { authToken: string; accountSid: string };
  publicUrl: () => string;
  routes: readonly ServedRoute[];
  routeFor: (twilioNumber: string) => Route | undefined;
  unrouted: UnroutedLog;
  replies: ReplySender;
  mediaSecret: string;
  mode: string;
  admin?: AdminAccessOptions;
  defaultCountry?: string;
}): Endpoint[] {
  const { store, clock, logger, metrics, wake } = deps;
  const common = { store, clock, logger, metrics, wake, ...deps.twilio };
  const country = deps.defaultCountry ? { defaultCountry: deps.defaultCountry } : {};
  const admin = deps.admin ? { admin: deps.admin } : {};
  // Every route's channel answers on /front/<token>; application channels also DELETE there.
  const methods = [...new Set(deps.routes.flatMap(({ channel }) => channel.methods))];
  return [
    {
      method: "POST",
      path: "/twilio/sms",
      handler: twilioSmsHandler({
        ...common,
        ...country,
        signedUrl: () => `${deps.publicUrl()}/twilio/sms`,
        routeFor: deps.routeFor,
        unrouted: deps.unrouted,
      }),
    },
    {
      method: "POST",
      path: "/twilio/status",
      handler: twilioStatusHandler({
        ...common,
        signedUrl: () => `${deps.publicUrl()}/twilio/status`,
      }),
    },
    ...methods.map((method) => ({
      method,
      path: "/front/:token",
      handler: frontHandler({ routes: deps.routes, replies: deps.replies, logger }),
    })),
    {
      method: "GET",
      path: "/media/:token",
      handler: mediaHandler({ store, clock, secret: deps.mediaSecret }),
    },
    { method: "GET", path: "/metrics", handler: metricsHandler({ metrics, ...admin }) },
    {
      method: "GET",
      path: "/healthz",
      handler: healthzHandler({
        store,
        clock,
        mode: deps.mode,
        routes: deps.routes.map(({ route }) => route),
        startedAt: clock.now(),
        ...admin,
      }),
    },
  ];
}
