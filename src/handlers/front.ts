import type { SendResult, Verdict } from "../bridge/front-channel.js";
import { BadRequestError } from "../bridge/front-channel.js";
import type { ServedRoute } from "../bridge/route-table.js";
import type { ReplySender } from "../bridge/outbound.js";
import { HttpError, json, readBody, requireContentType, type Handler } from "../http/http.js";
import { parseJsonBody } from "../http/json-body.js";
import type { Logger } from "../log.js";

export interface FrontHandlerDeps {
  /** Each route has its own /front/<token>; the token picks the route. */
  routes: readonly ServedRoute[];
  replies: ReplySender;
  logger: Logger;
  bodyLimit?: number;
}

/** POST (and DELETE) /front/<token>: channel events, answered as Front's contract expects. */
export function frontHandler(deps: FrontHandlerDeps): Handler {
  return async (req, params) => {
    const raw = await readBody(req, deps.bodyLimit ?? 1024 * 1024);
    const request = {
      method: req.method ?? "POST",
      pathToken: params.token ?? "",
      rawBody: raw,
      headers: req.headers,
    };
    let verdict: Verdict = "unknown-path";
    // Every token is compared (in constant time): which route matched is not timed.
    let served: ServedRoute | undefined;
    for (const candidate of deps.routes) {
      const answer = candidate.channel.authenticate(request);
      if (answer !== "unknown-path" && !served) [served, verdict] = [candidate, answer];
    }
    if (!served || verdict === "unknown-path") throw new HttpError(404, "not found");
    const { channel, route } = served;
    if (verdict === "stale") {
      deps.logger.warn(
        "x-- front refused: X-Front-Request-Timestamp is outside the 5-minute window (a replay, or a wrong clock)",
      );
      throw new HttpError(403, "request timestamp outside the allowed window");
    }
    if (verdict === "bad-signature") {
      deps.logger.warn(
        `x-- front refused: X-Front-Signature missing or wrong (check ${channel.mode === "custom" ? "FRONT_WEBHOOK_SECRET" : "FRONT_APP_SECRET"})`,
      );
      throw new HttpError(403, "invalid X-Front-Signature");
    }
    // A DELETE's signature does not cover its body (front-api.md §3.1): it is never read.
    const method = req.method ?? "POST";
    let body: unknown;
    if (method !== "DELETE" && raw.length > 0) {
      requireContentType(req, "application/json");
      body = parseJsonBody(raw);
    }
    let event;
    try {
      event = await channel.parseEvent(body, route, method);
    } catch (error) {
      if (error instanceof BadRequestError) throw new HttpError(400, error.message);
      throw error;
    }
    if (event.type === "reply") return json(event.reply.status, event.reply.body);
    const results: SendResult[] = [];
    for (const sms of event.messages) results.push(await deps.replies.send(route, sms));
    const reply = event.reply(results);
    return json(reply.status, reply.body);
  };
}
