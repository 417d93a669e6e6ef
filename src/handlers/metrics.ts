import { adminAccess, type AdminAccessOptions } from "../http/admin-access.js";
import { HttpError, type Handler } from "../http/http.js";
import type { Metrics } from "../metrics.js";
import { BEARER_CHALLENGE } from "./healthz.js";

/** GET /metrics: Prometheus text, for operators only (bearer token, or local when none is set). */
export function metricsHandler(deps: { metrics: Metrics; admin?: AdminAccessOptions }): Handler {
  return async (req) => {
    const access = adminAccess(req, deps.admin ?? {});
    if (access === "anonymous" || access === "bad-token") {
      throw new HttpError(
        401,
        access === "anonymous" ? "send Authorization: Bearer <admin token>" : "wrong admin token",
        BEARER_CHALLENGE,
      );
    }
    if (access === "not-local") {
      throw new HttpError(
        403,
        "metrics are answered to clients on the bridge's own host only; set bridge.adminToken (FRONT_TWILIO_ADMIN_TOKEN) to read them from elsewhere with a bearer token",
      );
    }
    return {
      status: 200,
      headers: { "content-type": deps.metrics.registry.contentType },
      body: await deps.metrics.registry.metrics(),
    };
  };
}
