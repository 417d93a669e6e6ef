import type { FrontChannel } from "../channel/channel.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import type { Job, Store } from "../store/store.js";
import { shortNumber } from "../text.js";
import type { InboundSms, Route } from "../types.js";
import type { Outcome } from "../worker/outcome.js";

/** The worker's handler for inbound jobs: one customer message into the Front channel. */
export function createInboundHandler(deps: {
  channel: FrontChannel;
  store: Store;
  clock: Clock;
  logger: Logger;
  routes: (id: string) => Route | undefined;
}) {
  return async (job: Job): Promise<Outcome> => {
    const sms = job.payload as InboundSms;
    const route = deps.routes(job.route);
    if (!route) return { kind: "dead", error: `no route ${job.route} is configured any more` };
    const { frontMessageUid } = await deps.channel.deliverInbound(sms, route);
    deps.store.linkMessage(
      {
        twilioSid: sms.messageSid,
        route: route.id,
        direction: "inbound",
        customer: sms.from,
        ...(frontMessageUid ? { frontMessageUid } : {}),
        status: "delivered-to-front",
      },
      deps.clock.now(),
    );
    deps.logger.info(
      `<-- front ${shortNumber(sms.from)} ${sms.messageSid} delivered (${frontMessageUid ?? "-"})`,
    );
    return { kind: "done", result: frontMessageUid ? { frontMessageUid } : undefined };
  };
}
