import type { FrontClient } from "../clients/front.js";
import type { TwilioGateway } from "../clients/twilio.js";
import { pointBothSides } from "../setup/point.js";
import { checkChannel } from "../setup/front-checks.js";
import { checkTwilioNumber } from "../setup/twilio-checks.js";
import type { Store } from "../store/store.js";

/** Where Twilio and Front sent webhooks before the tunnel took them over. */
interface Previous {
  numberSid: string;
  smsUrl: string;
  smsMethod: string;
  webhookUrl: string;
}

const META_KEY = "tunnel.previous";

/** The store key of a route's previous URLs; the first route keeps the key of one-route releases. */
export function previousUrlsKey(index: number, phoneNumber: string): string {
  return index === 0 ? META_KEY : `${META_KEY}:${phoneNumber}`;
}

/**
 * Points the number and the channel at the tunnel, remembering where they pointed before, and
 * puts them back on exit. The previous URLs are kept in the store, so a run killed with -9 is
 * still restored by the next `serve --tunnel` and its exit.
 */
export function createSidePointer(deps: {
  twilio: TwilioGateway;
  /** A custom channel's webhook URL is set through the Core API; an application's is not settable. */
  front?: { client: FrontClient; channelId: string };
  store: Pick<Store, "getMeta" | "setMeta">;
  phoneNumber: string;
  webhookToken: string;
  /** Where this route's previous URLs are kept (each route has its own key). */
  metaKey?: string;
}) {
  const metaKey = deps.metaKey ?? META_KEY;
  let previous: Previous | undefined;
  let loaded = false;
  /** The URLs before the first tunnel, read once: a run killed with -9 left them here. */
  async function load() {
    if (!loaded) previous = readPrevious(await deps.store.getMeta(metaKey));
    loaded = true;
  }

  async function point(publicUrl: string): Promise<string[]> {
    await load();
    const number = await checkTwilioNumber(deps.twilio, deps.phoneNumber);
    const front = deps.front;
    const channel = front && (await checkChannel(front.client, front.channelId)).channel;
    if (!previous) {
      previous = {
        numberSid: number.sid,
        smsUrl: number.smsUrl,
        smsMethod: number.smsMethod,
        webhookUrl: channel?.settings?.webhook_url ?? "",
      };
      await deps.store.setMeta(metaKey, JSON.stringify(previous));
    }
    return pointBothSides({
      twilio: deps.twilio,
      number,
      publicUrl,
      token: deps.webhookToken,
      ...(front && channel ? { front: front.client, channel } : {}),
    });
  }

  async function restore(): Promise<string[]> {
    await load();
    if (!previous) return [];
    const lines: string[] = [];
    if (previous.smsUrl) {
      await deps.twilio.updateIncomingNumber(previous.numberSid, {
        smsUrl: previous.smsUrl,
        smsMethod: previous.smsMethod === "GET" ? "GET" : "POST",
      });
      lines.push(`Twilio ${deps.phoneNumber} SMS URL restored to ${previous.smsUrl}`);
    } else {
      lines.push(
        `Twilio ${deps.phoneNumber} had no SMS URL before; it still points at the (closed) tunnel`,
      );
    }
    const front = deps.front;
    if (front && previous.webhookUrl) {
      await front.client.setChannelWebhookUrl(front.channelId, previous.webhookUrl);
      lines.push(`Front channel ${front.channelId} webhook URL restored`);
    } else if (front) {
      lines.push(
        `Front channel ${front.channelId} had no webhook URL before; it still points at the (closed) tunnel`,
      );
    }
    await deps.store.setMeta(metaKey, undefined);
    previous = undefined;
    return lines;
  }

  return { point, restore };
}

export type SidePointer = ReturnType<typeof createSidePointer>;

function readPrevious(raw: string | undefined): Previous | undefined {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Previous;
  } catch {
    return undefined;
  }
}
