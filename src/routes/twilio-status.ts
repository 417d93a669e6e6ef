import type { Clock } from "../clock.js";
import { explainTwilioError } from "../clients/twilio-errors.js";
import type { Handler } from "../http/http.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import { routeNumber } from "../types.js";
import type { Store } from "../store/store.js";
import { enqueueFailureNotice } from "../bridge/notify.js";
import { readSignedForm, stringField } from "./twilio-common.js";

export interface TwilioStatusRouteDeps {
  authToken: string;
  signedUrl: () => string;
  store: Store;
  clock: Clock;
  logger: Logger;
  wake: () => void;
  metrics: Pick<Metrics, "failed">;
}

const FAILED = new Set(["failed", "undelivered"]);

/** POST /twilio/status: delivery callbacks; failures become a notice to the agent, once per (sid, status). */
export function twilioStatusRoute(deps: TwilioStatusRouteDeps): Handler {
  return async (req) => {
    const form = await readSignedForm(req, { ...deps, what: "status", limit: 64 * 1024 });
    const sid = stringField(form, "MessageSid");
    const status = stringField(form, "MessageStatus");
    const code =
      typeof form.ErrorCode === "string" && form.ErrorCode ? Number(form.ErrorCode) : undefined;
    const link = deps.store.findMessage(sid);
    if (!link) {
      deps.logger.debug(`status ${sid} ${status}: not a message this bridge sent`);
      return { status: 204 };
    }
    deps.store.linkMessage(
      { ...link, status, ...(code ? { errorCode: code } : {}) },
      deps.clock.now(),
    );
    deps.logger.info(`--> status ${sid} ${status}${code ? ` ${code}` : ""}`);
    if (FAILED.has(status) && link.status !== status) deps.metrics.failed(code);
    if (code === 21610)
      deps.store.setOptedOut(link.customer, routeNumber(link.route), true, deps.clock.now());
    if (FAILED.has(status) && link.frontConversationId) {
      enqueueFailureNotice(deps, link.route, `status:${sid}:${status}`, {
        twilioSid: sid,
        conversationId: link.frontConversationId,
        customer: link.customer,
        reason: explainTwilioError(code, `Twilio reported the message ${status}`),
        ...(link.frontMessageId ? { frontMessageId: link.frontMessageId } : {}),
      });
    }
    return { status: 204 };
  };
}
