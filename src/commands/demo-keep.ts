import chalk from "chalk";

export interface DemoParts {
  bridgeUrl: string;
  frontUrl: string;
  frontToken: string;
  channelId: string;
  twilioUrl: string;
  accountSid: string;
  authToken: string;
  number: string;
  webhookToken: string;
  dataDir: string;
  customer: string;
}

/**
 * What `demo --keep` prints: the exact environment that points every command (init, doctor,
 * send-test, simulate, status) at the running stand-ins and bridge, without touching the user's
 * own config file (a throwaway FRONT_TWILIO_CONFIG_DIR).
 */
export function keepInstructions(parts: DemoParts): string[] {
  const env: [string, string][] = [
    ["FRONT_TWILIO_CONFIG_DIR", `${parts.dataDir}/config`],
    ["FRONT_TWILIO_DATA_DIR", parts.dataDir],
    ["FRONT_API_URL", parts.frontUrl],
    ["TWILIO_API_URL", parts.twilioUrl],
    ["FRONT_API_TOKEN", parts.frontToken],
    ["FRONT_CHANNEL_ID", parts.channelId],
    ["TWILIO_ACCOUNT_SID", parts.accountSid],
    ["TWILIO_AUTH_TOKEN", parts.authToken],
    ["TWILIO_PHONE_NUMBER", parts.number],
    ["FRONT_TWILIO_WEBHOOK_TOKEN", parts.webhookToken],
    ["FRONT_TWILIO_PUBLIC_URL", parts.bridgeUrl],
  ];
  return [
    chalk.bold("\nStill running. In another terminal, paste this environment:"),
    ...env.map(
      ([name, value], index) =>
        `  ${index === 0 ? "export " : "       "}${name}=${value}${index < env.length - 1 ? " \\" : ""}`,
    ),
    chalk.bold("then try:"),
    `  front-twilio doctor`,
    `  front-twilio send-test --to ${parts.customer}                # a reply, followed through its status callbacks`,
    `  front-twilio send-test --via-bridge --to ${parts.customer}   # a customer SMS through the bridge to Front`,
    `  front-twilio simulate sms --from ${parts.customer} --body "Hello again"`,
    `  front-twilio simulate reply --to ${parts.customer} --body "Hi, how can we help?"`,
    `  front-twilio status`,
    `  front-twilio init --no-interactive --public-url ${parts.bridgeUrl}   # init against the stand-ins`,
    chalk.dim(
      "(the stand-ins' own made-up credentials; from a clone, use `node bin/front-twilio.js` or `npm link` first) Press Ctrl+C to stop.",
    ),
  ];
}
