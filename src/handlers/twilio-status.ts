import type { Clock } from "../clock.js";
import { HttpError, type Handler } from "../http/http.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import type { Store } from "../store/store.js";
import { applyStatus } from "../bridge/status.js";
import { messageIdentity, optionalField, readSignedForm, stringField } from "./twilio-common.js";

export interface TwilioStatusHandlerDeps {
  authToken: string;
  accountSid: string;
  signedUrl: () => string;
  store: Store;
  clock: Clock;
  logger: Logger;
  wake: () => void;
  metrics: Pick<Metrics, "failed">;
}

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
export function twilioStatusHandler(deps: TwilioStatusHandlerDeps): Handler {
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
      // Perhaps a send whose answer the bridge has not recorded yet (or lost in a crash): kept,
      // and applied when the sid is learned. Callbacks for messages of others expire with retention.
      await deps.store.keepEarlyStatus(
        sid,
        code ? { status, errorCode: code } : { status },
        deps.clock.now(),
      );
      deps.logger.debug(`status ${sid} ${status}: sid not recorded yet, kept`);
      return { status: 204 };
    }
    await applyStatus(deps, link, status, code);
    return { status: 204 };
  };
}
