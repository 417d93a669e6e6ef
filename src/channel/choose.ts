import { createChannelApiClient } from "../clients/front-channel-api.js";
import { createFrontClient, type FrontClient } from "../clients/front.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import type { FrontSettings, RouteSettings } from "../settings.js";
import type { Store } from "../store/store.js";
import { makeRoute } from "../types.js";
import type { Pacer } from "../worker/pacer.js";
import type { ServedRoute } from "../bridge/route-table.js";
import { createApplicationChannel } from "./application-channel.js";
import { createCustomChannel } from "./custom-channel.js";

/**
 * The one place that looks at the channel mode: builds each route's FrontChannel (and the Core API
 * client, when there is a token). The rest of the bridge only sees the interface.
 */
export function createFrontChannels(
  front: FrontSettings,
  routes: readonly RouteSettings[],
  deps: {
    pacer: Pacer;
    clock: Clock;
    logger: Logger;
    store: Store;
    publicUrl: () => string;
    fetch?: typeof globalThis.fetch;
    defaultCountry?: string;
  },
): { served: ServedRoute[]; core?: FrontClient } {
  const http = {
    baseUrl: front.baseUrl,
    onRateLimit: deps.pacer.observe,
    now: deps.clock.now,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  };
  const core = front.apiToken ? createFrontClient({ token: front.apiToken, ...http }) : undefined;
  const extras = (route: RouteSettings) => ({
    ...(route.inboxId ? { inboxId: route.inboxId } : {}),
    ...(route.tag ? { tag: route.tag } : {}),
    ...(route.messagingServiceSid ? { messagingServiceSid: route.messagingServiceSid } : {}),
  });
  if (front.mode === "custom") {
    const served = routes.map((route) => ({
      route: makeRoute(route.twilioNumber, route.channelId!, extras(route)),
      channel: createCustomChannel({
        front: core!,
        pacer: deps.pacer,
        webhookToken: route.webhookToken,
        ...(front.webhookSecret ? { webhookSecret: front.webhookSecret } : {}),
      }),
    }));
    return { served, core: core! };
  }
  const api = createChannelApiClient({ appUid: front.appUid, appSecret: front.appSecret, ...http });
  // Front sends `authorization` to the app's URL (the first route's); each other route's channel
  // is named in the config and gets its own URL in the reply.
  const urlOfChannel = (channelId: string) => {
    const route = routes.slice(1).find((r) => r.channelId === channelId);
    return route && `${deps.publicUrl()}/front/${route.webhookToken}`;
  };
  const served = routes.map((route, index) => ({
    // The first route is keyed by the app, as before several routes: its channel may arrive later.
    route: makeRoute(
      route.twilioNumber,
      index === 0 ? `app:${front.appUid}` : route.channelId!,
      extras(route),
    ),
    channel: createApplicationChannel({
      api,
      pacer: deps.pacer,
      appSecret: front.appSecret,
      webhookToken: route.webhookToken,
      store: deps.store,
      publicUrl: deps.publicUrl,
      logger: deps.logger,
      clock: deps.clock,
      ...(route.channelId ? { channelId: route.channelId } : {}),
      ...(index === 0 ? { otherChannelUrl: urlOfChannel } : {}),
      ...(deps.defaultCountry ? { defaultCountry: deps.defaultCountry } : {}),
    }),
  }));
  return { served, ...(core ? { core } : {}) };
}
