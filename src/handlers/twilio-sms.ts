import type { Clock } from "../clock.js";
import { emptyTwiml, HttpError, type Handler } from "../http/http.js";
import type { Logger } from "../log.js";
import { normalizeAddress } from "../phone.js";
import type { Store } from "../store/store.js";
import { shortNumber } from "../text.js";
import type { Metrics } from "../metrics.js";
import type { Route } from "../types.js";
import { acceptInboundSms } from "../bridge/inbound.js";
import type { UnroutedLog } from "../bridge/unrouted.js";
import type { FormParams } from "../webhooks/form.js";
import { messageIdentity, optionalField, readSignedForm, stringField } from "./twilio-common.js";

export interface TwilioSmsHandlerDeps {
  authToken: string;
  /** The configured account: a webhook for another account is refused. */
  accountSid: string;
  /** Exactly the URL configured as the number's SMS URL; Twilio signs it. */
  signedUrl: () => string;
  routeFor: (twilioNumber: string) => Route | undefined;
  store: Store;
  clock: Clock;
  logger: Logger;
  wake: () => void;
  defaultCountry?: string;
  bodyLimit?: number;
  metrics: Pick<Metrics, "received" | "duplicate" | "optOut" | "unrouted">;
  unrouted: UnroutedLog;
}

/** POST /twilio/sms: verify, normalise, commit (dedupe on MessageSid), then answer empty TwiML. */
export function twilioSmsHandler(deps: TwilioSmsHandlerDeps): Handler {
  return async (req) => {
    const form = await readSignedForm(req, {
      ...deps,
      what: "sms",
      limit: deps.bodyLimit ?? 64 * 1024,
    });
    const { messageSid } = messageIdentity(form, deps.accountSid);
    const from = stringField(form, "From");
    const to = normalizeAddress(stringField(form, "To"), deps.defaultCountry);
    const route = deps.routeFor(to.value);
    if (!route) {
      // Signed by our account, so one of its numbers: answered (a retry would not help), kept
      // as a count for doctor and queue, never delivered to a channel.
      await deps.unrouted.record(to.value, messageSid);
      deps.metrics.unrouted(to.value);
      deps.logger.warn(
        `x-- sms to ${to.value} ${messageSid}: no route serves this number; answered, not delivered (add one: front-twilio routes add --number ${to.value})`,
      );
      return emptyTwiml();
    }
    const body = optionalField(form, "Body") ?? "";
    const numMedia = mediaCount(optionalField(form, "NumMedia"));
    const optOutType = optionalField(form, "OptOutType");
    const { created, sms } = await acceptInboundSms(
      deps.store,
      route,
      {
        messageSid,
        from,
        body,
        numMedia,
        media: mediaOf(form, numMedia),
        receivedAt: deps.clock.now(),
        ...(optOutType === undefined ? {} : { optOutType }),
      },
      deps.clock.now(),
      deps.defaultCountry,
    );
    deps.logger.info(
      `--> sms ${shortNumber(sms.from)} ${messageSid} ${created ? "queued" : "duplicate"}`,
    );
    if (created) {
      deps.metrics.received(route.id);
      if (sms.optOut) deps.metrics.optOut(route.id, sms.optOut);
      deps.wake();
    } else deps.metrics.duplicate(route.id, "inbound");
    return emptyTwiml();
  };
}

/** NumMedia: absent for some channels; otherwise 0–10, as Twilio documents for an MMS. */
function mediaCount(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d{1,2}$/.test(value) || Number(value) > 10)
    throw new HttpError(400, "form field NumMedia is not a number from 0 to 10");
  return Number(value);
}

/** MediaUrl0…, MediaContentType0…: the media Twilio received with an MMS. */
function mediaOf(form: FormParams, count: number): { url: string; contentType: string }[] {
  const media: { url: string; contentType: string }[] = [];
  for (let n = 0; n < count; n++) {
    const url = optionalField(form, `MediaUrl${n}`);
    const contentType = optionalField(form, `MediaContentType${n}`);
    if (typeof url === "string")
      media.push({
        url,
        contentType: typeof contentType === "string" ? contentType : "application/octet-stream",
      });
  }
  return media;
}
