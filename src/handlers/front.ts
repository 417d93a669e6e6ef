import type { FrontChannel, SendResult } from "../channel/channel.js";
import { BadRequestError } from "../channel/channel.js";
import type { ReplySender } from "../bridge/outbound.js";
import { HttpError, json, readBody, requireContentType, type Handler } from "../http/http.js";
import { parseJsonBody } from "../http/json-body.js";
import type { Logger } from "../log.js";
import type { Route } from "../types.js";

export interface FrontRouteDeps {
  channel: FrontChannel;
  route: Route;
  replies: ReplySender;
  logger: Logger;
  bodyLimit?: number;
}

/** POST (and DELETE) /front/<token>: channel events, answered as Front's contract expects. */
export function frontRoute(deps: FrontRouteDeps): Handler {
  return async (req, params) => {
    const raw = await readBody(req, deps.bodyLimit ?? 1024 * 1024);
    const verdict = deps.channel.authenticate({
      method: req.method ?? "POST",
      pathToken: params.token ?? "",
      rawBody: raw,
      headers: req.headers,
    });
    if (verdict === "unknown-path") throw new HttpError(404, "not found");
    if (verdict === "stale") {
      deps.logger.warn(
        "x-- front refused: X-Front-Request-Timestamp is outside the 5-minute window (a replay, or a wrong clock)",
      );
      throw new HttpError(403, "request timestamp outside the allowed window");
    }
    if (verdict === "bad-signature") {
      deps.logger.warn(
        `x-- front refused: X-Front-Signature missing or wrong (check ${deps.channel.mode === "custom" ? "FRONT_WEBHOOK_SECRET" : "FRONT_APP_SECRET"})`,
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
      event = await deps.channel.parseEvent(body, deps.route, method);
    } catch (error) {
      if (error instanceof BadRequestError) throw new HttpError(400, error.message);
      throw error;
    }
    if (event.type === "reply") return json(event.reply.status, event.reply.body);
    const results: SendResult[] = [];
    for (const sms of event.messages) results.push(await deps.replies.send(deps.route, sms));
    const reply = event.reply(results);
    return json(reply.status, reply.body);
  };
}
