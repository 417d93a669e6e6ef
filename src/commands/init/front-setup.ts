import chalk from "chalk";
import { createChannelApiClient } from "../../clients/front-channel-api.js";
import {
  createFrontClient,
  type FrontChannelResource,
  type FrontClient,
} from "../../clients/front.js";
import type { Config } from "../../config/schema.js";
import {
  checkAppCredentials,
  checkChannel,
  checkFrontToken,
  listCustomChannels,
} from "../../setup/front-checks.js";
import type { Answers } from "./answers.js";
import { checking, isRejectedCredential } from "./checking.js";
import type { InitDeps } from "./deps.js";
import type { Prompter } from "./prompter.js";

export interface SetupContext {
  answers: Answers;
  prompter: Prompter;
  config: Config;
  ok: (line: string) => void;
  warn: (line: string) => void;
  deps: InitDeps;
  /** Where the progress of network checks is shown. */
  stdout: NodeJS.WritableStream;
}

/** What the Front side leaves for the rest of init: where to point, and a secret to mention. */
export interface FrontSide {
  pointing: { front?: FrontClient; channel?: FrontChannelResource };
  secret?: string;
}

/** Custom channel: Core API token (GET /me), the channel (picked or given, checked), optional signing secret. */
export async function setupCustomFront({
  answers,
  prompter,
  config,
  ok,
  warn,
  deps,
  stdout,
}: SetupContext): Promise<FrontSide> {
  const create = deps.createFront ?? ((token, baseUrl) => createFrontClient({ token, baseUrl }));
  let front: FrontClient;
  let company: string;
  // A token Front refuses is asked again, with Front's reason (only when it was asked, not given).
  for (;;) {
    front = create(
      (await answers.secret("front.apiToken", "Front API token"))!,
      config.api.frontUrl,
    );
    try {
      company = await checking(stdout, "Checking the Front token (GET /me)", () =>
        checkFrontToken(front),
      );
      break;
    } catch (error) {
      if (!isRejectedCredential(error) || !answers.mayAsk("front.apiToken")) throw error;
      warn(`${(error as Error).message} Enter another token.`);
      answers.forget("front.apiToken");
    }
  }
  ok(`Front token works for ${chalk.bold(company)}`);
  const channelId = await pickChannel(answers, prompter, front);
  const inboxGiven = answers.given("front.inboxId") ? config.front.inboxId : undefined;
  const facts = await checking(stdout, `Checking Front channel ${channelId}`, () =>
    checkChannel(front, channelId, inboxGiven),
  );
  if (facts.inboxId) answers.set("front.inboxId", facts.inboxId);
  ok(
    `Front channel ${chalk.bold(facts.channel.name ?? channelId)} (${channelId}, custom) in inbox ${chalk.bold(facts.inboxName ?? "?")} (${facts.inboxId ?? "?"})`,
  );
  const secret = await answers.secret("front.webhookSecret", "Front webhook signing secret", true);
  return { pointing: { front, channel: facts.channel }, ...(secret ? { secret } : {}) };
}

/**
 * Application channel: App UID and secret. They are proven with a harmless Channel API call
 * (PATCH /channels/{id} status ok) once the channel id is known; Front sends it in the
 * authorization event when an admin connects the channel, which needs the bridge running.
 */
export async function setupApplicationFront({
  answers,
  config,
  ok,
  warn,
  deps,
}: SetupContext): Promise<FrontSide> {
  const appUid = (await answers.text(
    "front.appUid",
    "Front App UID (Settings → Developers → your app)",
  ))!;
  const appSecret = (await answers.secret("front.appSecret", "Front App secret"))!;
  const channelId = answers.current("front.channelId") as string | undefined;
  if (channelId) {
    const api = (deps.createChannelApi ?? ((app) => createChannelApiClient(app)))({
      appUid,
      appSecret,
      baseUrl: config.api.frontUrl,
    });
    await checkAppCredentials(api, channelId);
    ok(`Front app ${chalk.bold(appUid)} works for channel ${channelId}`);
  } else {
    warn(
      "The App UID and secret are proven when Front connects the channel (its authorization event reaches the bridge); `front-twilio doctor` checks them afterwards.",
    );
  }
  return { pointing: {} };
}

async function pickChannel(
  answers: Answers,
  prompter: Prompter,
  front: FrontClient,
): Promise<string> {
  if (!answers.mayAsk("front.channelId")) return answers.current("front.channelId") as string;
  const channels = await listCustomChannels(front);
  if (channels.length === 0)
    return (await answers.text("front.channelId", "Front custom channel ID (cha_…)"))!;
  const current = answers.current("front.channelId") as string | undefined;
  const choice = await prompter.select({
    name: "front.channelId",
    message: "Front custom channel",
    choices: channels.map((c) => ({ name: `${c.name ?? c.id} (${c.id})`, value: c.id })),
    ...(current && channels.some((c) => c.id === current) ? { default: current } : {}),
  });
  answers.set("front.channelId", choice);
  return choice;
}
