import type { Clock } from "../clock.js";
import { adminAccess, type AdminAccessOptions } from "../http/admin-access.js";
import { HttpError, json, type Handler } from "../http/http.js";
import type { Store } from "../store/store.js";
import type { Route } from "../types.js";

export const BEARER_CHALLENGE = { "www-authenticate": 'Bearer realm="front-twilio"' };

/**
 * GET /healthz: `{"status":"ok"}` to anyone (liveness); the details (mode, numbers, channels,
 * queue, uptime) only to an operator (bearer token, or a local client when no token is set).
 */
export function healthzHandler(deps: {
  store: Store;
  clock: Clock;
  mode: string;
  routes: Route[];
  startedAt: number;
  admin?: AdminAccessOptions;
}): Handler {
  return async (req) => {
    const access = adminAccess(req, deps.admin ?? {});
    if (access === "bad-token") throw new HttpError(401, "wrong admin token", BEARER_CHALLENGE);
    if (access !== "granted") return json(200, { status: "ok" });
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
