import type { Config } from "../../config/schema.js";
import type { ReportRoute } from "../../report/gather.js";
import { makeRoute } from "../../types.js";

/**
 * The routes a report covers: every configured route, keyed as the bridge keys them in its store
 * (an application's first route by its app, as `createFrontChannels` does).
 */
export function reportRoutes(config: Config): ReportRoute[] {
  return config.routes.flatMap((route, index) => {
    const key =
      config.front.mode === "application" && index === 0 && config.front.appUid
        ? `app:${config.front.appUid}`
        : route.channel;
    if (!key) return [];
    return [
      {
        ...makeRoute(route.number, key),
        ...(route.channel && key !== route.channel ? { channelId: route.channel } : {}),
        ...(route.inbox ? { inboxId: route.inbox } : {}),
      },
    ];
  });
}
