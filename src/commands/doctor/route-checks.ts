import type { ChannelApiClient } from "../../clients/front-channel-api.js";
import type { FrontChannelResource, FrontClient } from "../../clients/front.js";
import type { IncomingNumber, TwilioGateway } from "../../clients/twilio.js";
import { UpstreamError } from "../../errors.js";
import { maskFrontPath, REVEAL_WEBHOOK_TOKEN } from "../../secret-path.js";
import type { RouteSettings } from "../../settings.js";
import { checkAppCredentials, checkChannel } from "../../setup/front-checks.js";
import { bridgeUrls } from "../../setup/point.js";
import {
  checkServiceOfNumber,
  checkTwilioNumber,
  findDiversions,
} from "../../setup/twilio-checks.js";
import type { Record } from "./checks.js";

/** What the checks of one route share: how to name them, where the bridge is, what to advise. */
export interface RouteCheck {
  route: RouteSettings;
  /** Appended to each check's name when several routes are checked: ` (+14155550100)`. */
  label: string;
  /** The bridge's public URL, unless it runs behind a dev tunnel (then not checkable). */
  publicUrl: string | undefined;
  advice: { rerun: string; owner: string };
}

/** A custom channel: it exists, is valid, is in the route's inbox, and posts to the bridge. */
export async function customChannelChecks(
  record: Record,
  front: FrontClient,
  check: RouteCheck,
  /** Undefined when the token check failed: the channel checks are then skipped. */
  company: string | undefined,
) {
  const { route, label } = check;
  const url = check.publicUrl && bridgeUrls(check.publicUrl, route.webhookToken).front;
  let channel: FrontChannelResource | undefined;
  await record(`Front channel${label}`, [company, route.channelId], async () => {
    const facts = await checkChannel(front, route.channelId!, route.inboxId);
    channel = facts.channel;
    return `"${channel.name ?? channel.id}" (${channel.id}), custom, valid, inbox ${facts.inboxName ?? "?"} (${facts.inboxId ?? "?"})`;
  });
  await record(
    `Front channel webhook URL${label}`,
    [channel, url],
    async () => {
      const actual = channel!.settings?.webhook_url;
      if (actual !== url)
        throw new Error(
          `the channel posts agent messages to ${actual ? "another URL" : "no URL"}, not to the bridge's /front/<token>`,
        );
      return `points at the bridge${check.advice.owner}`;
    },
    `${check.advice.rerun} (or paste ${url ? maskFrontPath(url) : "the Front webhook URL that `front-twilio serve` prints"} into the channel's settings, with the token that ${label ? "`front-twilio routes list --json`" : REVEAL_WEBHOOK_TOKEN} prints)`,
  );
}

/** An application channel: the app's credentials work for the route's channel. */
export async function appChannelCheck(
  record: Record,
  api: ChannelApiClient,
  check: RouteCheck & { channelId: string | undefined; appUid: string },
) {
  await record(`Front app credentials${check.label}`, [], async () => {
    if (!check.channelId)
      throw new UpstreamError(
        "No Front channel is connected to this app yet, so the App UID and secret cannot be tried.",
        {
          hint: `Enter ${check.publicUrl ? `${check.publicUrl}/front/<token>` : "the Front server URL"} as the app's server URL in Front (<token>: ${REVEAL_WEBHOOK_TOKEN}), then add the channel to an inbox.`,
        },
      );
    await checkAppCredentials(api, check.channelId);
    return `App ${check.appUid} works for channel ${check.channelId}`;
  });
}

/** The number: the account's, SMS-capable, its SMS URL the bridge's, nothing diverting it. */
export async function twilioNumberChecks(
  record: Record,
  twilio: TwilioGateway,
  check: RouteCheck & { accountSid: string },
) {
  const { route, label } = check;
  const sms = check.publicUrl && bridgeUrls(check.publicUrl, route.webhookToken).sms;
  let number: IncomingNumber | undefined;
  await record(`Twilio number${label}`, [], async () => {
    number = await checkTwilioNumber(twilio, route.twilioNumber);
    return `${number.phoneNumber} (${number.friendlyName}) on account ${check.accountSid}, SMS-capable`;
  });
  await record(
    `Twilio number SMS URL${label}`,
    [number, sms],
    async () => {
      if (number!.smsUrl !== sms || number!.smsMethod !== "POST") {
        throw new Error(
          `the number sends SMS to ${number!.smsUrl || "(none)"} (${number!.smsMethod}), not to ${sms} (POST)`,
        );
      }
      return `${sms} (POST)${check.advice.owner}`;
    },
    check.advice.rerun,
  );
  if (route.messagingServiceSid)
    await record(`Twilio Messaging Service${label}`, [number], async () => {
      const service = await checkServiceOfNumber(twilio, number!, route.messagingServiceSid!);
      return `${number!.phoneNumber} is a sender of "${service.friendlyName}" (${service.sid}); replies leave through it`;
    });
  await record(`Inbound SMS precedence${label}`, [number], async () => {
    const [diversion] = await findDiversions(twilio, number!);
    if (diversion) {
      const fix = diversion.automatic
        ? `Run \`front-twilio init --fix\`, or ${diversion.fix}.`
        : `To fix it, ${diversion.fix}.`;
      throw new UpstreamError(diversion.problem, { hint: fix });
    }
    return "no Messaging Service or SMS application overrides the number's SMS URL";
  });
}
