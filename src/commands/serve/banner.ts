import chalk from "chalk";
import type { Bridge } from "../../app.js";
import { maskFrontPath, REVEAL_WEBHOOK_TOKEN } from "../../secret-path.js";
import { routesOf, type BridgeSettings } from "../../settings.js";

/** The URLs to configure, for a person to read; the secret path token is masked. */
export function bannerLines(bridge: Bridge, settings: BridgeSettings, listening: string): string[] {
  const url = bridge.publicUrl();
  return [
    chalk.green(
      `✔ Ready: front-twilio bridge, ${routesOf(settings)
        .map(
          (route) =>
            `Front ${settings.mode} channel ${route.channelId ?? "(not connected yet)"} ⇄ Twilio ${route.twilioNumber}`,
        )
        .join(", ")}`,
    ),
    `  Listening on       ${listening}`,
    ...urlLines(bridge, settings, url),
    `  Metrics            ${url}/metrics  (${settings.admin?.token ? "with the bearer token bridge.adminToken" : "from this host only: set bridge.adminToken (FRONT_TWILIO_ADMIN_TOKEN) to read it from elsewhere"})`,
  ];
}

export function urlLines(bridge: Bridge, settings: BridgeSettings, url: string): string[] {
  const numbers = bridge.routes.map(({ route }) => route.twilioNumber);
  const several = bridge.routes.length > 1;
  // An application's server URL is the first route's; Front learns the others' at authorization.
  const fronts = settings.mode === "custom" ? bridge.routes : bridge.routes.slice(0, 1);
  return [
    `  Twilio SMS URL     ${url}/twilio/sms  (HTTP POST, on the number${several ? "s" : ""} ${numbers.join(", ")})`,
    ...fronts.map(({ route, channel }) => {
      const front = maskFrontPath(`${url}${channel.webhookPath()}`);
      return settings.mode === "custom"
        ? `  Front webhook URL  ${front}  (${several ? `channel ${route.channelId}` : "the custom channel"}'s outgoing URL)`
        : `  Front server URL   ${front}  (enter it in the Front app's channel settings)`;
    }),
    `                     ${several ? "tokens are" : "its token is"} secret: shown in full by ${several ? "`front-twilio routes list --json`" : REVEAL_WEBHOOK_TOKEN}`,
    `  Status callbacks   ${url}/twilio/status`,
    `  Health             ${url}/healthz`,
  ];
}
