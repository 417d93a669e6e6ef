import { randomBytes } from "node:crypto";
import chalk from "chalk";
import { requireSettings } from "../../config/resolve.js";
import { findSetting, type SettingKey, type SettingValue } from "../../config/schema.js";
import { createTwilioGateway, type TwilioGateway } from "../../clients/twilio.js";
import { UpstreamError } from "../../errors.js";
import { maskSecret } from "../../log.js";
import type { IncomingNumber } from "../../clients/twilio.js";
import { checking, isRejectedCredential } from "./checking.js";
import {
  checkTwilioNumber,
  findDiversions,
  listSmsNumbers,
  removeDiversions,
  type Diversion,
} from "../../setup/twilio-checks.js";
import { foldRoutesFile, loadConfig, type CommandContext } from "../context.js";
import type { InitDeps } from "./deps.js";
import { nextSteps, pickPublicUrl } from "./where.js";

export type { InitDeps } from "./deps.js";
import { createAnswers, type Answers } from "./answers.js";
import { setupApplicationFront, setupCustomFront } from "./front-setup.js";
import { isPromptCancel, type Prompter } from "./prompter.js";
import { INIT_FLAGS } from "./flags.js";
import { pointBothSides } from "../../setup/point.js";
import { setUpFirstResponseTag } from "../../setup/first-response.js";

export interface InitOptions {
  interactive: boolean;
  /** Apply the fixes for Messaging Service / SMS application diversions without asking. */
  fix?: boolean;
  /** "I will use the dev tunnel": no public URL now; `serve --tunnel` points both sides later. */
  tunnel?: boolean;
  flags: Partial<Record<SettingKey, SettingValue | undefined>>;
}

/** Guided setup: asks, checks each answer against Front and Twilio, points both sides, saves. */
export async function init(
  options: InitOptions,
  context: CommandContext,
  deps: InitDeps,
): Promise<number> {
  try {
    return await run(options, context, deps);
  } catch (error) {
    if (!isPromptCancel(error)) throw error;
    context.stderr.write("Cancelled. Nothing was changed.\n");
    return 130;
  }
}

async function run(options: InitOptions, context: CommandContext, deps: InitDeps): Promise<number> {
  const resolved = loadConfig(context, options.flags);
  const { config } = resolved;
  const answers = createAnswers(resolved, deps.prompter, options.interactive);
  const ok = (line: string) => context.stdout.write(`${chalk.green("✔")} ${line}\n`);
  const warn = (line: string) => context.stdout.write(`${chalk.yellow("!")} ${line}\n`);

  if (!options.interactive) {
    const required: SettingKey[] = [
      ...(config.front.mode === "application"
        ? (["front.appUid", "front.appSecret"] as const)
        : (["front.apiToken", "front.channelId"] as const)),
      "twilio.accountSid",
      "twilio.authToken",
      "twilio.phoneNumber",
    ];
    if (!options.tunnel) required.push("bridge.publicUrl");
    requireSettings(config, required, { name: "init --no-interactive", flags: INIT_FLAGS });
  }

  // Front: the questions depend on the kind of channel.
  const mode = answers.mayAsk("front.mode")
    ? await deps.prompter.select({
        name: "front.mode",
        message: "Front channel type",
        default: config.front.mode,
        choices: [
          {
            name: "Custom channel (a Core API token; set up in an inbox)",
            value: "custom" as const,
          },
          {
            name: "Application channel (a Front app with a channel feature; recommended by Front)",
            value: "application" as const,
          },
        ],
      })
    : config.front.mode;
  if (answers.mayAsk("front.mode")) answers.set("front.mode", mode);
  const setup = {
    answers,
    prompter: deps.prompter,
    config,
    ok,
    warn,
    deps,
    stdout: context.stdout,
  };
  const frontSide =
    mode === "application" ? await setupApplicationFront(setup) : await setupCustomFront(setup);
  await setUpFirstResponseTag(
    answers.current("front.apiToken") as string | undefined,
    config.api.frontUrl,
    { ok, warn },
  );

  // Twilio: credentials Twilio refuses are asked again, with Twilio's reason.
  let accountSid: string;
  let twilio: TwilioGateway;
  let numbers: IncomingNumber[];
  for (;;) {
    accountSid = (await answers.text("twilio.accountSid", "Twilio Account SID (AC…)"))!;
    const authToken = (await answers.secret(
      "twilio.authToken",
      "Twilio Auth Token (verifies webhook signatures)",
    ))!;
    twilio = (deps.createTwilio ?? createTwilioGateway)({
      accountSid,
      authToken,
      ...(config.twilio.apiKey && config.twilio.apiSecret
        ? { apiKey: config.twilio.apiKey, apiSecret: config.twilio.apiSecret }
        : {}),
      ...(config.api.twilioUrl ? { baseUrl: config.api.twilioUrl } : {}),
    });
    try {
      const gateway = twilio;
      numbers = await checking(context.stdout, "Checking the Twilio credentials", () =>
        listSmsNumbers(gateway),
      );
      break;
    } catch (error) {
      const askable = answers.mayAsk("twilio.accountSid") || answers.mayAsk("twilio.authToken");
      if (!isRejectedCredential(error) || !askable) throw error;
      warn(`${(error as Error).message} Enter them again.`);
      answers.forget("twilio.authToken");
    }
  }
  const phoneNumber = await pickNumber(answers, deps.prompter, numbers);
  const gateway = twilio;
  const number = await checking(context.stdout, `Checking the Twilio number ${phoneNumber}`, () =>
    checkTwilioNumber(gateway, phoneNumber),
  );
  ok(
    `Twilio number ${chalk.bold(number.phoneNumber)} (${number.friendlyName}) is on account ${accountSid} and can receive SMS`,
  );
  const fixes = await decideFixes(
    await findDiversions(twilio, number),
    options,
    deps.prompter,
    warn,
  );

  // Where the bridge runs
  const publicUrl = await pickPublicUrl(answers, deps.prompter, options);
  if (publicUrl?.startsWith("http://") && !/^http:\/\/(localhost|127\.)/.test(publicUrl)) {
    warn(`${publicUrl} is not HTTPS: Twilio and Front expect https:// URLs outside development.`);
  }
  const token = config.front.webhookToken ?? randomBytes(16).toString("base64url");
  if (!config.front.webhookToken) answers.set("front.webhookToken", token);

  await removeDiversions(twilio, fixes);
  for (const fix of fixes) ok(`Fixed: ${fix.fix}`);
  if (publicUrl) {
    const changes = await pointBothSides({
      twilio,
      number,
      publicUrl,
      token,
      ...frontSide.pointing,
    });
    for (const line of changes) ok(line);
  } else {
    warn(
      "No public URL: `front-twilio serve --tunnel` points Twilio and Front at the dev tunnel when it starts.",
    );
  }

  const store = context.configStore();
  store.setMany(answers.toSave);
  // The number, channel and inbox just saved become (or update) a route of the routes list.
  foldRoutesFile(store);
  ok(
    `Saved ${store.path} (mode 0600)${frontSide.secret ? `; Front webhook secret ${maskSecret(frontSide.secret)}` : ""}`,
  );
  // Base URLs live in the environment only; the rest could have been saved but was not.
  const fromEnv = Object.entries(resolved.sources)
    .filter(([key, source]) => source === "env" && findSetting(key)?.stored)
    .map(([key]) => key);
  if (fromEnv.length)
    warn(`Taken from the environment and not written to the file: ${fromEnv.join(", ")}`);
  for (const line of nextSteps(publicUrl, context.profile)) context.stdout.write(line);
  return 0;
}

async function pickNumber(
  answers: Answers,
  prompter: Prompter,
  numbers: IncomingNumber[],
): Promise<string> {
  if (!answers.mayAsk("twilio.phoneNumber")) return answers.current("twilio.phoneNumber") as string;
  if (numbers.length === 0) {
    throw new UpstreamError("This Twilio account has no SMS-capable phone numbers.", {
      hint: "Buy or port a number in the Twilio Console, then run init again.",
    });
  }
  const current = answers.current("twilio.phoneNumber") as string | undefined;
  const choice = await prompter.select({
    name: "twilio.phoneNumber",
    message: "Twilio number",
    choices: numbers.map((n) => ({
      name: `${n.phoneNumber}  ${n.friendlyName}`,
      value: n.phoneNumber,
    })),
    ...(current && numbers.some((n) => n.phoneNumber === current) ? { default: current } : {}),
  });
  answers.set("twilio.phoneNumber", choice);
  return choice;
}

async function decideFixes(
  diversions: Diversion[],
  options: InitOptions,
  prompter: Prompter,
  warn: (line: string) => void,
): Promise<Diversion[]> {
  const fixes: Diversion[] = [];
  for (const diversion of diversions) {
    if (!diversion.automatic) {
      if (!options.interactive)
        throw new UpstreamError(diversion.problem, {
          hint: `To fix it, ${diversion.fix}, then run init again.`,
        });
      warn(
        `${diversion.problem} To fix it, ${diversion.fix}. The bridge will not receive SMS until then.`,
      );
    } else if (options.fix) fixes.push(diversion);
    else if (options.interactive) {
      const yes = await prompter.confirm({
        name: `fix.${diversion.kind}`,
        message: `${diversion.problem}\n  Fix it now: ${diversion.fix}?`,
        default: true,
      });
      if (yes) fixes.push(diversion);
      else warn(`Not fixed: ${diversion.problem} The bridge will not receive SMS until it is.`);
    } else {
      throw new UpstreamError(diversion.problem, {
        hint: `Re-run with --fix to ${diversion.fix}, or change it in the Twilio Console.`,
      });
    }
  }
  return fixes;
}
