import type { Clock } from "../clock.js";
import { explainTwilioError } from "../clients/twilio-errors.js";
import { HttpError, type Handler } from "../http/http.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import { routeNumber } from "../types.js";
import type { Store } from "../store/store.js";
import { enqueueFailureNotice } from "../bridge/notify.js";
import { messageIdentity, optionalField, readSignedForm, stringField } from "./twilio-common.js";

export interface TwilioStatusRouteDeps {
  authToken: string;
  accountSid: string;
  signedUrl: () => string;
  store: Store;
  clock: Clock;
  logger: Logger;
  wake: () => void;
  metrics: Pick<Metrics, "failed">;
}

const FAILED = new Set(["failed", "undelivered"]);
/** Message statuses as Twilio's API documents them (message_enum_status). */
const STATUSES = new Set([
  "queued",
  "sending",
  "sent",
  "failed",
  "delivered",
  "undelivered",
  "receiving",
  "received",
  "accepted",
  "scheduled",
  "read",
  "partially_delivered",
  "canceled",
]);

/** POST /twilio/status: delivery callbacks; failures become a notice to the agent, once per (sid, status). */
export function twilioStatusRoute(deps: TwilioStatusRouteDeps): Handler {
  return async (req) => {
    const form = await readSignedForm(req, { ...deps, what: "status", limit: 64 * 1024 });
    const { messageSid: sid } = messageIdentity(form, deps.accountSid);
    const status = stringField(form, "MessageStatus");
    if (!STATUSES.has(status))
      throw new HttpError(400, "form field MessageStatus is not a Twilio message status");
    const errorCode = optionalField(form, "ErrorCode");
    if (errorCode !== undefined && !/^\d{0,6}$/.test(errorCode))
      throw new HttpError(400, "form field ErrorCode is not a number");
    const code = errorCode ? Number(errorCode) : undefined;
    const link = await deps.store.findMessage(sid);
    if (!link) {
      deps.logger.debug(`status ${sid} ${status}: not a message this bridge sent`);
      return { status: 204 };
    }
    await deps.store.linkMessage(
      { ...link, status, ...(code ? { errorCode: code } : {}) },
      deps.clock.now(),
    );
    deps.logger.info(`--> status ${sid} ${status}${code ? ` ${code}` : ""}`);
    if (FAILED.has(status) && link.status !== status) deps.metrics.failed(code);
    if (code === 21610)
      await deps.store.setOptedOut(link.customer, routeNumber(link.route), true, deps.clock.now());
    if (FAILED.has(status) && link.frontConversationId) {
      await enqueueFailureNotice(deps, link.route, `status:${sid}:${status}`, {
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
