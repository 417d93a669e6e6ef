import chalk from "chalk";
import type { Bridge } from "../../app.js";
import { maskFrontPath, REVEAL_WEBHOOK_TOKEN } from "../../secret-path.js";
import type { BridgeSettings } from "../../settings.js";

/** The URLs to configure, for a person to read; the secret path token is masked. */
export function bannerLines(bridge: Bridge, settings: BridgeSettings, listening: string): string[] {
  const url = bridge.publicUrl();
  return [
    chalk.green(
      `✔ Ready: front-twilio bridge, Front ${settings.mode} channel ${settings.front.channelId ?? "(not connected yet)"} ⇄ Twilio ${settings.twilio.phoneNumber}`,
    ),
    `  Listening on       ${listening}`,
    ...urlLines(bridge, settings, url),
    `  Metrics            ${url}/metrics  (${settings.admin?.token ? "with the bearer token bridge.adminToken" : "from this host only: set bridge.adminToken (FRONT_TWILIO_ADMIN_TOKEN) to read it from elsewhere"})`,
  ];
}

export function urlLines(bridge: Bridge, settings: BridgeSettings, url: string): string[] {
  const front = maskFrontPath(`${url}${bridge.channel.webhookPath()}`);
  return [
    `  Twilio SMS URL     ${url}/twilio/sms  (HTTP POST, on the number ${settings.twilio.phoneNumber})`,
    settings.mode === "custom"
      ? `  Front webhook URL  ${front}  (the custom channel's outgoing URL)`
      : `  Front server URL   ${front}  (enter it in the Front app's channel settings)`,
    `                     its token is secret: shown in full by ${REVEAL_WEBHOOK_TOKEN}`,
    `  Status callbacks   ${url}/twilio/status`,
    `  Health             ${url}/healthz`,
  ];
}
