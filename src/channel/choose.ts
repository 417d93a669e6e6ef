import { createChannelApiClient } from "../clients/front-channel-api.js";
import { createFrontClient, type FrontClient } from "../clients/front.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import type { FrontSettings } from "../settings.js";
import type { Store } from "../store/store.js";
import type { Pacer } from "../worker/pacer.js";
import { createApplicationChannel } from "./application-channel.js";
import type { FrontChannel } from "./channel.js";
import { createCustomChannel } from "./custom-channel.js";

/**
 * The one place that looks at the channel mode: builds the FrontChannel for it (and the Core API
 * client, when there is a token). The rest of the bridge only sees the interface.
 */
export function createFrontChannel(
  front: FrontSettings,
  deps: {
    pacer: Pacer;
    clock: Clock;
    logger: Logger;
    store: Store;
    publicUrl: () => string;
    fetch?: typeof globalThis.fetch;
    defaultCountry?: string;
  },
): { channel: FrontChannel; core?: FrontClient; routeKey: string } {
  const http = {
    baseUrl: front.baseUrl,
    onRateLimit: deps.pacer.observe,
    now: deps.clock.now,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  };
  const core = front.apiToken ? createFrontClient({ token: front.apiToken, ...http }) : undefined;
  if (front.mode === "custom") {
    const channel = createCustomChannel({
      front: core!,
      pacer: deps.pacer,
      webhookToken: front.webhookToken,
      ...(front.webhookSecret ? { webhookSecret: front.webhookSecret } : {}),
    });
    return { channel, core: core!, routeKey: front.channelId };
  }
  const channel = createApplicationChannel({
    api: createChannelApiClient({ appUid: front.appUid, appSecret: front.appSecret, ...http }),
    pacer: deps.pacer,
    appSecret: front.appSecret,
    webhookToken: front.webhookToken,
    store: deps.store,
    publicUrl: deps.publicUrl,
    logger: deps.logger,
    clock: deps.clock,
    ...(front.channelId ? { channelId: front.channelId } : {}),
    ...(deps.defaultCountry ? { defaultCountry: deps.defaultCountry } : {}),
  });
  // The channel id may arrive later (authorization); the route is keyed by the app instead.
  return { channel, ...(core ? { core } : {}), routeKey: `app:${front.appUid}` };
}
