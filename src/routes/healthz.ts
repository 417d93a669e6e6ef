import type { Clock } from "../clock.js";
import { json, type Handler } from "../http/http.js";
import type { Store } from "../store/store.js";
import type { Route } from "../types.js";

/** GET /healthz: liveness plus a store and queue summary; never secrets. */
export function healthzRoute(deps: {
  store: Store;
  clock: Clock;
  mode: string;
  routes: Route[];
  startedAt: number;
}): Handler {
  return async () => {
    const queue = await deps.store.summary();
    const now = deps.clock.now();
    return json(200, {
      status: "ok",
      mode: deps.mode,
      uptimeSeconds: Math.round((now - deps.startedAt) / 1000),
      routes: deps.routes.map((r) => ({ twilioNumber: r.twilioNumber, channelId: r.channelId })),
      queue: {
        pending: queue.pending,
        running: queue.running,
        dead: queue.dead,
        delivered: queue.done,
        oldestPendingAgeSeconds:
          queue.oldestPendingAt === null ? null : Math.round((now - queue.oldestPendingAt) / 1000),
      },
    });
  };
}
