import type { Clock } from "../clock.js";
import { emptyTwiml, HttpError, type Handler } from "../http/http.js";
import type { Logger } from "../log.js";
import { normalizeAddress } from "../phone.js";
import type { Store } from "../store/store.js";
import { shortNumber } from "../text.js";
import type { Metrics } from "../metrics.js";
import type { Route } from "../types.js";
import { acceptInboundSms } from "../bridge/inbound.js";
import type { FormParams } from "../webhooks/twilio-signature.js";
import { readSignedForm, stringField } from "./twilio-common.js";

export interface TwilioSmsRouteDeps {
  authToken: string;
  /** Exactly the URL configured as the number's SMS URL; Twilio signs it. */
  signedUrl: () => string;
  routeFor: (twilioNumber: string) => Route | undefined;
  store: Store;
  clock: Clock;
  logger: Logger;
  wake: () => void;
  defaultCountry?: string;
  bodyLimit?: number;
  metrics: Pick<Metrics, "received" | "duplicate" | "optOut">;
}

/** POST /twilio/sms: verify, normalise, commit (dedupe on MessageSid), then answer empty TwiML. */
export function twilioSmsRoute(deps: TwilioSmsRouteDeps): Handler {
  return async (req) => {
    const form = await readSignedForm(req, {
      ...deps,
      what: "sms",
      limit: deps.bodyLimit ?? 64 * 1024,
    });
    const messageSid = stringField(form, "MessageSid");
    const from = stringField(form, "From");
    const to = normalizeAddress(stringField(form, "To"), deps.defaultCountry);
    const route = deps.routeFor(to.value);
    if (!route) throw new HttpError(400, `${to.value} is not a number this bridge serves`);
    const { created, sms } = acceptInboundSms(
      deps.store,
      route,
      {
        messageSid,
        from,
        body: typeof form.Body === "string" ? form.Body : "",
        numMedia: Number(form.NumMedia ?? 0) || 0,
        media: mediaOf(form),
        receivedAt: deps.clock.now(),
        ...(typeof form.OptOutType === "string" ? { optOutType: form.OptOutType } : {}),
      },
      deps.clock.now(),
      deps.defaultCountry,
    );
    deps.logger.info(
      `--> sms ${shortNumber(sms.from)} ${messageSid} ${created ? "queued" : "duplicate"}`,
    );
    if (created) {
      deps.metrics.received();
      if (sms.optOut) deps.metrics.optOut(sms.optOut);
      deps.wake();
    } else deps.metrics.duplicate("inbound");
    return emptyTwiml();
  };
}

/** MediaUrl0…, MediaContentType0…: the media Twilio received with an MMS. */
function mediaOf(form: FormParams): { url: string; contentType: string }[] {
  const count = Math.min(Number(form.NumMedia ?? 0) || 0, 10);
  const media: { url: string; contentType: string }[] = [];
  for (let n = 0; n < count; n++) {
    const url = form[`MediaUrl${n}`];
    const contentType = form[`MediaContentType${n}`];
    if (typeof url === "string")
      media.push({
        url,
        contentType: typeof contentType === "string" ? contentType : "application/octet-stream",
      });
  }
  return media;
}
