import { maskFrontPath, REVEAL_WEBHOOK_TOKEN } from "../secret-path.js";
import type { FrontChannelResource, FrontClient } from "../clients/front.js";
import type { IncomingNumber, TwilioGateway } from "../clients/twilio.js";
import { UpstreamError } from "../errors.js";

/** The URLs Twilio and Front must call for a bridge at `publicUrl`. */
export function bridgeUrls(publicUrl: string, token: string) {
  return { sms: `${publicUrl}/twilio/sms`, front: `${publicUrl}/front/${token}` };
}

/**
 * Points the number's SMS URL and the custom channel's webhook URL at the bridge, changing only
 * what differs, and says what changed (the path token masked).
 */
export async function pointBothSides(deps: {
  twilio: TwilioGateway;
  /** Absent for application channels, whose URL is entered in the Front app's settings. */
  front?: FrontClient;
  channel?: FrontChannelResource;
  number: IncomingNumber;
  publicUrl: string;
  token: string;
}): Promise<string[]> {
  const urls = bridgeUrls(deps.publicUrl, deps.token);
  const shown = maskFrontPath(urls.front);
  const lines: string[] = [];
  if (deps.number.smsUrl !== urls.sms || deps.number.smsMethod !== "POST") {
    try {
      await deps.twilio.updateIncomingNumber(deps.number.sid, {
        smsUrl: urls.sms,
        smsMethod: "POST",
      });
    } catch (error) {
      throw new UpstreamError(
        `Could not set the SMS URL of ${deps.number.phoneNumber}: ${(error as Error).message}`,
        {
          hint: `Set it by hand in the Twilio Console: Messaging → "A message comes in" → Webhook ${urls.sms} (HTTP POST).`,
        },
      );
    }
    lines.push(
      `Twilio ${deps.number.phoneNumber} SMS URL: ${deps.number.smsUrl || "(none)"} → ${urls.sms} (POST)`,
    );
  } else lines.push(`Twilio ${deps.number.phoneNumber} SMS URL already ${urls.sms}`);
  if (!deps.front || !deps.channel) {
    lines.push(
      `Front app server URL (enter it in the app's settings in Front): ${shown} (the token in full: ${REVEAL_WEBHOOK_TOKEN})`,
    );
  } else if (deps.channel.settings?.webhook_url !== urls.front) {
    try {
      await deps.front.setChannelWebhookUrl(deps.channel.id, urls.front);
    } catch (error) {
      throw new UpstreamError(
        `Could not set the webhook URL of Front channel ${deps.channel.id}: ${(error as Error).message}`,
        {
          hint: `The token needs the channels:write scope; or paste ${shown} into the channel's settings, with the token that ${REVEAL_WEBHOOK_TOKEN} prints.`,
        },
      );
    }
    lines.push(
      `Front channel ${deps.channel.id} webhook URL: ${deps.channel.settings?.webhook_url ? "(changed)" : "(none)"} → ${shown}`,
    );
  } else lines.push(`Front channel ${deps.channel.id} webhook URL already ${shown}`);
  return lines;
}
