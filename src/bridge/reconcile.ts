import type { TwilioGateway } from "../clients/twilio.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import type { Store } from "../store/store.js";
import { shortNumber } from "../text.js";
import type { InboundSms, Route } from "../types.js";
import { acceptInboundSms } from "./inbound.js";

export interface ReconcileResult {
  /** Messages Twilio received for the number in the window. */
  seen: number;
  /** Those the store had never seen, now queued for Front. */
  queued: InboundSms[];
}

/**
 * Twilio does not retry an inbound webhook that failed, so messages that arrived while the bridge
 * was down exist only in Twilio's Messages list. Queues every one the store has not seen, through
 * the same path (and dedupe) as the webhook; running it twice queues nothing twice.
 */
export async function reconcile(deps: {
  store: Store;
  twilio: TwilioGateway;
  route: Route;
  since: Date;
  clock: Clock;
  logger: Logger;
  defaultCountry?: string;
}): Promise<ReconcileResult> {
  const messages = await deps.twilio.listReceivedMessages(deps.route.twilioNumber, deps.since);
  const queued: InboundSms[] = [];
  for (const message of messages) {
    const { created, sms } = await acceptInboundSms(
      deps.store,
      deps.route,
      {
        messageSid: message.sid,
        from: message.from,
        body: message.body,
        numMedia: message.numMedia,
        receivedAt: message.dateSent.getTime(),
      },
      deps.clock.now(),
      deps.defaultCountry,
    );
    if (!created) continue;
    queued.push(sms);
    deps.logger.info(
      `--> sms ${shortNumber(sms.from)} ${sms.messageSid} recovered from Twilio's message list, queued`,
    );
  }
  return { seen: messages.length, queued };
}
