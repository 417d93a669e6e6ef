import chalk from "chalk";
import type { Bridge } from "../../app.js";
import type { BridgeSettings } from "../../settings.js";

/** The URLs to configure, for a person to read (the path token is shown: it must be pasted into Front). */
export function bannerLines(bridge: Bridge, settings: BridgeSettings, listening: string): string[] {
  const url = bridge.publicUrl();
  return [
    chalk.green(
      `✔ Ready: front-twilio bridge, Front ${settings.mode} channel ${settings.front.channelId ?? "(not connected yet)"} ⇄ Twilio ${settings.twilio.phoneNumber}`,
    ),
    `  Listening on       ${listening}`,
    ...urlLines(bridge, settings, url),
  ];
}

export function urlLines(bridge: Bridge, settings: BridgeSettings, url: string): string[] {
  return [
    `  Twilio SMS URL     ${url}/twilio/sms  (HTTP POST, on the number ${settings.twilio.phoneNumber})`,
    settings.mode === "custom"
      ? `  Front webhook URL  ${url}${bridge.channel.webhookPath()}  (the custom channel's outgoing URL)`
      : `  Front server URL   ${url}${bridge.channel.webhookPath()}  (enter it in the Front app's channel settings)`,
    `  Status callbacks   ${url}/twilio/status`,
    `  Health             ${url}/healthz`,
  ];
}
