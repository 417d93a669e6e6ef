import { startFrontStandIn, type FrontStandIn } from "../../src/stand-ins/front-stand-in.js";
import { startTwilioStandIn, type TwilioStandIn } from "../../src/stand-ins/twilio-stand-in.js";
import { cleanEnv, tempDir } from "./cli.js";
import { contractValidators } from "./contract.js";

export interface StandIns {
  front: FrontStandIn;
  twilio: TwilioStandIn;
  configDir: string;
  /** An environment for the CLI: a fresh config dir and the API base URLs of the stand-ins. */
  env: Record<string, string>;
  /** Closes both and returns every contract violation they saw. */
  close(): Promise<string[]>;
}

/** A Front company with one custom channel and a Twilio account with one SMS number. */
export async function startStandIns(): Promise<StandIns> {
  const contract = await contractValidators();
  const front = await startFrontStandIn({
    validate: contract.front,
    companyName: "Acme Support",
    channel: { id: "cha_sms", name: "SMS", inboxId: "inb_support" },
    // A company set up as docs/features.md says: the auto first-reply rule and its tag.
    tags: {
      tags: ["sms-first-response-sent"],
      rules: [
        {
          name: "SMS first response",
          actions: [
            "Send auto-reply Thanks, we will reply soon",
            "Tag with sms-first-response-sent",
          ],
        },
      ],
    },
  });
  const twilio = await startTwilioStandIn({
    validate: contract.twilio,
    smsUrl: "https://demo.twilio.com/welcome/sms/reply",
  });
  const configDir = tempDir("ft-init-");
  return {
    front,
    twilio,
    configDir,
    env: cleanEnv({
      FRONT_TWILIO_CONFIG_DIR: configDir,
      FRONT_API_URL: front.url,
      TWILIO_API_URL: twilio.url,
    }),
    async close() {
      await front.close();
      await twilio.close();
      return [...front.violations, ...twilio.violations];
    },
  };
}

/** The flags `init --no-interactive` needs to set up the stand-ins' channel and number. */
export function standInInitFlags(s: StandIns): string[] {
  return [
    "--front-token",
    s.front.token,
    "--front-channel",
    "cha_sms",
    "--twilio-account-sid",
    s.twilio.accountSid,
    "--twilio-auth-token",
    s.twilio.authToken,
    "--twilio-number",
    "+14155550100",
  ];
}
