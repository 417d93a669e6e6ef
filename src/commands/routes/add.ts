import { randomBytes } from "node:crypto";
import chalk from "chalk";
import { parseSetting } from "../../config/resolve.js";
import { compactRoute, parseRoutes, type RouteConfig } from "../../config/routes.js";
import { settingOf, type Config } from "../../config/schema.js";
import { createChannelApiClient } from "../../clients/front-channel-api.js";
import { createFrontClient, type FrontChannelResource } from "../../clients/front.js";
import { createTwilioGateway, type TwilioGateway } from "../../clients/twilio.js";
import { ConfigError } from "../../errors.js";
import { toAddress } from "../../phone.js";
import { checkAppCredentials, checkChannel, listCustomChannels } from "../../setup/front-checks.js";
import { setUpFirstResponseTag } from "../../setup/first-response.js";
import { pointBothSides } from "../../setup/point.js";
import {
  checkServiceOfNumber,
  checkTwilioNumber,
  listSmsNumbers,
} from "../../setup/twilio-checks.js";
import { prefixed } from "../../config/parsers.js";
import { checking } from "../init/checking.js";
import type { Prompter } from "../init/prompter.js";
import { loadConfig, type CommandContext } from "../context.js";

export interface RoutesAddOptions {
  number?: string;
  channel?: string;
  inbox?: string;
  tag?: string;
  /** `MG…`: replies go out through this Messaging Service (the number must be in its pool). */
  messagingService?: string;
  interactive: boolean;
}

export interface RoutesAddDeps {
  prompter: Prompter;
  createFront?: typeof createFrontClient;
  createTwilio?: (settings: Parameters<typeof createTwilioGateway>[0]) => TwilioGateway;
}

/**
 * `routes add`: checks both sides as init does (the number is the account's and takes SMS; the
 * channel exists, is of the mode's kind, and is in the inbox named), points the number's SMS URL
 * and the channel's webhook at the bridge when its public URL is known, then saves the route
 * (with a path token of its own) in the config file. Adding a number already routed updates it.
 */
export async function routesAdd(
  options: RoutesAddOptions,
  context: CommandContext,
  deps: RoutesAddDeps,
): Promise<number> {
  const { config } = loadConfig(context);
  const ok = (line: string) => context.stdout.write(`${chalk.green("✔")} ${line}\n`);
  const twilio = twilioFor(config, deps);

  const number = await askNumber(options, config, twilio, deps.prompter);
  const incoming = await checking(context.stdout, `Checking the Twilio number ${number}`, () =>
    checkTwilioNumber(twilio, number),
  );
  ok(
    `Twilio number ${chalk.bold(incoming.phoneNumber)} (${incoming.friendlyName}) can receive SMS`,
  );
  const serviceSid =
    options.messagingService &&
    prefixed("MG", "a Twilio Messaging Service SID")(options.messagingService);
  const messagingService =
    serviceSid &&
    (await checking(context.stdout, `Checking the Messaging Service ${serviceSid}`, () =>
      checkServiceOfNumber(twilio, incoming, serviceSid),
    ));
  if (messagingService)
    ok(
      `Replies leave through the Messaging Service "${messagingService.friendlyName}" (${messagingService.sid})`,
    );

  const channel = await askChannel(options, config, deps);
  const inbox =
    options.inbox && String(parseSetting(settingOf("front.inboxId"), options.inbox, "flag"));
  const front = await checkFront(config, channel, inbox, context);
  if (front.resource)
    ok(
      `Front channel ${channel} (${front.resource.name}) is a custom channel${front.inboxId ? ` in ${front.inboxId}` : ""}`,
    );
  else if (channel) ok(`Front app credentials work for channel ${channel}`);

  await setUpFirstResponseTag(config.front.apiToken, config.api.frontUrl, {
    ok,
    warn: (line) => context.stdout.write(`${chalk.yellow("!")} ${line}\n`),
  });

  // loadConfig has already folded single-route keys into the file's routes.
  const store = context.configStore();
  const listed = parseRoutes(store.read().routes, {
    filePath: store.path,
    defaultCountry: config.phone.defaultCountry,
  });
  const known = listed.find((route) => route.number === incoming.phoneNumber);
  const first = listed.length === 0 || listed[0] === known;
  // The first route answers on front.webhookToken (the app's URL in application mode).
  const token = first
    ? (config.front.webhookToken ?? newToken(store, "front.webhookToken"))
    : (known?.webhookToken ?? randomBytes(16).toString("base64url"));
  const route: RouteConfig = {
    ...known,
    number: incoming.phoneNumber,
    ...(channel ? { channel } : {}),
    ...(front.inboxId ? { inbox: front.inboxId } : {}),
    ...(options.tag ? { tag: options.tag } : {}),
    ...(messagingService ? { messagingService: messagingService.sid } : {}),
    ...(first ? {} : { webhookToken: token }),
  };

  if (config.bridge.publicUrl)
    for (const line of await pointBothSides({
      twilio,
      number: incoming,
      publicUrl: config.bridge.publicUrl,
      token,
      ...(front.resource && front.client ? { front: front.client, channel: front.resource } : {}),
    }))
      ok(line);
  else
    ok(
      "No public URL yet: `front-twilio serve --tunnel` points this route at the tunnel while it runs.",
    );

  const routes = known
    ? listed.map((entry) => (entry === known ? route : entry))
    : [...listed, route];
  store.set("routes", routes.map(compactRoute));
  ok(
    `${known ? "Updated" : "Added"} the route ${route.number} → ${route.channel ?? "(channel connects at authorization)"} in ${store.path}; ${routes.length} route(s)`,
  );
  return 0;
}

function twilioFor(config: Config, deps: RoutesAddDeps): TwilioGateway {
  const { accountSid, authToken, apiKey, apiSecret } = config.twilio;
  if (!accountSid || !authToken)
    throw new ConfigError("routes add needs the Twilio credentials to check the number.", {
      hint: "Run `front-twilio init` first, or set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.",
    });
  return (deps.createTwilio ?? createTwilioGateway)({
    accountSid,
    authToken,
    ...(apiKey && apiSecret ? { apiKey, apiSecret } : {}),
    ...(config.api.twilioUrl ? { baseUrl: config.api.twilioUrl } : {}),
  });
}

async function askNumber(
  options: RoutesAddOptions,
  config: Config,
  twilio: TwilioGateway,
  prompter: Prompter,
): Promise<string> {
  if (options.number) {
    const raw = String(parseSetting(settingOf("twilio.phoneNumber"), options.number, "flag"));
    return toAddress(raw, config.phone.defaultCountry);
  }
  if (!options.interactive) throw missing("--number");
  const numbers = await listSmsNumbers(twilio);
  const routed = new Set(config.routes.map((route) => route.number));
  const free = numbers.filter((n) => !routed.has(n.phoneNumber));
  if (free.length === 0)
    throw new ConfigError("Every SMS number of the Twilio account already has a route.", {
      hint: "Buy or port another number in Twilio, or `front-twilio routes remove` one first.",
    });
  return prompter.select({
    name: "twilio.phoneNumber",
    message: "Twilio number for the new route",
    choices: free.map((n) => ({
      name: `${n.phoneNumber} (${n.friendlyName})`,
      value: n.phoneNumber,
    })),
  });
}

/** The channel: from --channel, else picked from the company's custom channels not yet routed. */
async function askChannel(
  options: RoutesAddOptions,
  config: Config,
  deps: RoutesAddDeps,
): Promise<string | undefined> {
  const setting = settingOf("front.channelId");
  if (options.channel) return String(parseSetting(setting, options.channel, "flag"));
  if (!options.interactive) throw missing("--channel");
  if (config.front.mode === "custom" && config.front.apiToken) {
    const front = (deps.createFront ?? createFrontClient)({
      token: config.front.apiToken,
      baseUrl: config.api.frontUrl,
    });
    const routed = new Set(config.routes.map((route) => route.channel));
    const free = (await listCustomChannels(front)).filter((c) => !routed.has(c.id));
    if (free.length > 0)
      return deps.prompter.select({
        name: "front.channelId",
        message: "Front custom channel for the new route",
        choices: free.map((c) => ({ name: `${c.name ?? c.id} (${c.id})`, value: c.id })),
      });
  }
  const answer = await deps.prompter.input({
    name: "front.channelId",
    message: "Front channel ID for the new route (cha_…)",
    validate: (raw) => {
      try {
        setting.parse(raw);
        return true;
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
  return String(setting.parse(answer));
}

async function checkFront(
  config: Config,
  channel: string | undefined,
  inbox: string | undefined,
  context: CommandContext,
): Promise<{
  resource?: FrontChannelResource;
  client?: ReturnType<typeof createFrontClient>;
  inboxId?: string;
}> {
  const baseUrl = config.api.frontUrl;
  if (config.front.mode === "application") {
    const { appUid, appSecret } = config.front;
    if (!appUid || !appSecret)
      throw new ConfigError("routes add needs the Front app's UID and secret.", {
        hint: "Run `front-twilio init` first, or set FRONT_APP_UID and FRONT_APP_SECRET.",
      });
    if (channel) {
      const api = createChannelApiClient({ appUid, appSecret, baseUrl });
      await checking(context.stdout, `Checking the Front app on channel ${channel}`, () =>
        checkAppCredentials(api, channel),
      );
    }
    return inbox ? { inboxId: inbox } : {};
  }
  if (!config.front.apiToken)
    throw new ConfigError("routes add needs the Front API token to check the channel.", {
      hint: "Run `front-twilio init` first, or set FRONT_API_TOKEN.",
    });
  const client = createFrontClient({ token: config.front.apiToken, baseUrl });
  const facts = await checking(context.stdout, `Checking the Front channel ${channel}`, () =>
    checkChannel(client, channel!, inbox),
  );
  return { resource: facts.channel, client, ...(facts.inboxId ? { inboxId: facts.inboxId } : {}) };
}

function newToken(store: { set(key: string, value: unknown): void }, key: string): string {
  const token = randomBytes(16).toString("base64url");
  store.set(key, token);
  return token;
}

function missing(flag: string): ConfigError {
  return new ConfigError(
    `routes add needs ${flag} (no prompt without a terminal or with --no-interactive).`,
    {
      hint: "Pass --number +1… and --channel cha_… (and --inbox inb_… to check the channel's inbox).",
      exitCode: 2,
    },
  );
}
