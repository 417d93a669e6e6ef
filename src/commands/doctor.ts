import { createChannelApiClient, type ChannelApiClient } from "../clients/front-channel-api.js";
import { join } from "node:path";
import chalk from "chalk";
import {
  createFrontClient,
  type FrontChannelResource,
  type FrontClient,
} from "../clients/front.js";
import { createTwilioGateway, type IncomingNumber, type TwilioGateway } from "../clients/twilio.js";
import { UpstreamError, errorMessage, isBridgeError } from "../errors.js";
import { bridgeSettingsFrom, type BridgeSettings } from "../settings.js";
import { checkAppCredentials, checkChannel, checkFrontToken } from "../setup/front-checks.js";
import { checkPrivatePaths } from "../setup/private-paths.js";
import { checkTwilioNumber, findDiversions } from "../setup/twilio-checks.js";
import { describeStore, openExistingStore } from "../store/open-store.js";
import { checkDatabase } from "../store/pg-check.js";
import { maskFrontPath, REVEAL_WEBHOOK_TOKEN } from "../secret-path.js";
import { loadClientConfig, type CommandContext } from "./context.js";
import { bridgeUrls } from "../setup/point.js";

export interface CheckResult {
  name: string;
  status: "pass" | "fail" | "skipped";
  detail: string;
  fix?: string;
}

export interface DoctorDeps {
  createFront?: (settings: { apiToken: string; baseUrl: string }) => FrontClient;
  createChannelApi?: (settings: {
    appUid: string;
    appSecret: string;
    baseUrl: string;
  }) => ChannelApiClient;
  createTwilio?: (settings: BridgeSettings) => TwilioGateway;
  fetch?: typeof globalThis.fetch;
}

const RERUN = "Run `front-twilio init` again to set it.";

/** Re-checks everything init set up; exit code 0 only when every check passes. */
export async function doctor(
  options: { json?: boolean },
  context: CommandContext,
  deps: DoctorDeps = {},
): Promise<number> {
  const results: CheckResult[] = [];
  const record = async (
    name: string,
    needs: unknown[],
    run: () => Promise<string>,
    fix?: string,
  ) => {
    if (needs.some((need) => need === undefined)) {
      const detail =
        tunnelMode && settings && !live
          ? "skipped: dev tunnel mode, and `front-twilio serve --tunnel` is not running here"
          : "skipped: an earlier check failed";
      results.push({ name, status: "skipped", detail });
      return;
    }
    try {
      results.push({ name, status: "pass", detail: await run() });
    } catch (error) {
      const hint = isBridgeError(error) ? error.hint : undefined;
      results.push({
        name,
        status: "fail",
        detail: errorMessage(error),
        ...((hint ?? fix) ? { fix: (hint ?? fix)! } : {}),
      });
    }
  };

  const { config, live } = loadClientConfig(context);
  // Without a public URL the bridge runs behind `serve --tunnel`, whose URL exists only while it runs.
  const tunnelMode = !config.bridge.publicUrl;
  const rerun = live?.tunnel
    ? `\`front-twilio serve --tunnel\` (pid ${live.pid}) points it at its tunnel when it starts: restart it. Do not re-run \`front-twilio init\` while it runs; that would point the webhooks away from the tunnel.`
    : RERUN;
  const owner = live?.tunnel ? ` (the live tunnel of \`serve --tunnel\`, pid ${live.pid})` : "";
  let settings: BridgeSettings | undefined;
  await record(
    "Configuration",
    [],
    async () => {
      settings = bridgeSettingsFrom(config, () => config.front.webhookToken ?? "", {
        tunnel: tunnelMode,
        command: "doctor",
      });
      if (!config.front.webhookToken)
        throw new Error("front.webhookToken is not set, so Front cannot reach the bridge yet.");
      const where = live
        ? `; serve is running here (pid ${live.pid}) at ${live.publicUrl}${live.tunnel ? " through a live tunnel" : ""}`
        : tunnelMode
          ? "; dev tunnel mode (no public URL): start `front-twilio serve --tunnel`"
          : "";
      return `profile ${context.profile}, Front ${settings.mode} channel ${settings.front.channelId ?? "(connects at authorization)"}, Twilio ${settings.twilio.phoneNumber}${where}`;
    },
    RERUN,
  );

  const twilio =
    settings && (deps.createTwilio ?? ((s) => createTwilioGateway(s.twilio)))(settings);
  const urls =
    settings && !tunnelMode
      ? bridgeUrls(settings.publicUrl, settings.front.webhookToken)
      : undefined;
  let number: IncomingNumber | undefined;

  if (settings?.front.mode === "application") {
    const app = settings.front;
    const storedChannel = async () => {
      const store = await openExistingStore(config.bridge);
      if (!store) return undefined;
      try {
        return await store.getMeta("application.channelId");
      } finally {
        await store.close();
      }
    };
    await record("Front app credentials", [], async () => {
      const channelId = app.channelId ?? (await storedChannel());
      if (!channelId)
        throw new UpstreamError(
          "No Front channel is connected to this app yet, so the App UID and secret cannot be tried.",
          {
            hint: `Enter ${urls ? urls.front.replace(app.webhookToken, "<token>") : "the Front server URL"} as the app's server URL in Front (<token>: ${REVEAL_WEBHOOK_TOKEN}), then add the channel to an inbox.`,
          },
        );
      const api = (
        deps.createChannelApi ??
        ((a) =>
          createChannelApiClient({ appUid: a.appUid, appSecret: a.appSecret, baseUrl: a.baseUrl }))
      )(app);
      await checkAppCredentials(api, channelId);
      return `App ${app.appUid} works for channel ${channelId}`;
    });
  } else if (settings) {
    await customChannelChecks(record, settings, config.front.inboxId, urls?.front, deps, {
      rerun,
      owner,
    });
  }
  await record("Twilio number", [twilio], async () => {
    number = await checkTwilioNumber(twilio!, settings!.twilio.phoneNumber);
    return `${number.phoneNumber} (${number.friendlyName}) on account ${settings!.twilio.accountSid}, SMS-capable`;
  });
  await record(
    "Twilio number SMS URL",
    [number, urls],
    async () => {
      if (number!.smsUrl !== urls!.sms || number!.smsMethod !== "POST") {
        throw new Error(
          `the number sends SMS to ${number!.smsUrl || "(none)"} (${number!.smsMethod}), not to ${urls!.sms} (POST)`,
        );
      }
      return `${urls!.sms} (POST)${owner}`;
    },
    rerun,
  );
  await record("Inbound SMS precedence", [number], async () => {
    const [diversion] = await findDiversions(twilio!, number!);
    if (diversion) {
      const fix = diversion.automatic
        ? `Run \`front-twilio init --fix\`, or ${diversion.fix}.`
        : `To fix it, ${diversion.fix}.`;
      throw new UpstreamError(diversion.problem, { hint: fix });
    }
    return "no Messaging Service or SMS application overrides the number's SMS URL";
  });
  await record(
    "Bridge reachable at its public URL",
    [settings, urls],
    async () => {
      const url = `${settings!.publicUrl}/healthz`;
      const response = await (deps.fetch ?? fetch)(url, {
        headers: { "bypass-tunnel-reminder": "1" },
        signal: AbortSignal.timeout(5_000),
      }).catch((error: unknown) => {
        throw new Error(
          `${url} did not answer (${errorMessage((error as { cause?: unknown }).cause ?? error)})`,
        );
      });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      return `${url} answered 200${owner}`;
    },
    "Start the bridge (`front-twilio serve`) and make sure bridge.publicUrl (FRONT_TWILIO_PUBLIC_URL) reaches it.",
  );
  await record("File permissions", [], async () =>
    checkPrivatePaths([
      { path: context.configStore().path, kind: "file" },
      { path: config.bridge.dataDir, kind: "dir" },
      ...["", "-wal", "-shm"].map((suffix) => ({
        path: join(config.bridge.dataDir, `bridge.sqlite${suffix}`),
        kind: "file" as const,
      })),
    ]),
  );
  // A shared database is checked without being changed: doctor never migrates it.
  let databaseCurrent: true | undefined = config.bridge.databaseUrl ? undefined : true;
  if (config.bridge.databaseUrl) {
    const url = config.bridge.databaseUrl;
    await record("Database", [], async () => {
      const found = await checkDatabase(url);
      databaseCurrent = true;
      return found;
    });
  }
  await record(
    "Store",
    [databaseCurrent],
    async () => {
      const file = describeStore(config.bridge);
      const store = await openExistingStore(config.bridge);
      if (!store) return `no store yet at ${file} (the bridge has not run here)`;
      const summary = await store.summary();
      await store.close();
      if (summary.dead > 0)
        throw new Error(`${summary.dead} message(s) in the dead letters of ${file}`);
      return `${summary.pending + summary.running} pending, 0 dead`;
    },
    "The bridge's log has a `dead letter` line with each reason; fix the cause, then retry them.",
  );

  report(results, options.json ?? false, context);
  return results.every((r) => r.status === "pass") ? 0 : 1;
}

type Record = (
  name: string,
  needs: unknown[],
  run: () => Promise<string>,
  fix?: string,
) => Promise<void>;

async function customChannelChecks(
  record: Record,
  settings: BridgeSettings,
  inboxId: string | undefined,
  frontUrl: string | undefined,
  deps: DoctorDeps,
  advice: { rerun: string; owner: string },
) {
  if (settings.front.mode !== "custom") return;
  const custom = settings.front;
  const front = (
    deps.createFront ?? ((s) => createFrontClient({ token: s.apiToken, baseUrl: s.baseUrl }))
  )(custom);
  let company: string | undefined;
  let channel: FrontChannelResource | undefined;
  await record(
    "Front API token",
    [],
    async () => `works for ${(company = await checkFrontToken(front))}`,
  );
  await record("Front channel", [company], async () => {
    const facts = await checkChannel(front, custom.channelId, inboxId);
    channel = facts.channel;
    return `"${channel.name ?? channel.id}" (${channel.id}), custom, valid, inbox ${facts.inboxName ?? "?"} (${facts.inboxId ?? "?"})`;
  });
  await record(
    "Front channel webhook URL",
    [channel, frontUrl],
    async () => {
      const actual = channel!.settings?.webhook_url;
      if (actual !== frontUrl)
        throw new Error(
          `the channel posts agent messages to ${actual ? "another URL" : "no URL"}, not to the bridge's /front/<token>`,
        );
      return `points at the bridge${advice.owner}`;
    },
    `${advice.rerun} (or paste ${frontUrl ? maskFrontPath(frontUrl) : "the Front webhook URL that `front-twilio serve` prints"} into the channel's settings, with the token that ${REVEAL_WEBHOOK_TOKEN} prints)`,
  );
}

function report(results: CheckResult[], json: boolean, context: CommandContext) {
  if (json) {
    context.stdout.write(
      `${JSON.stringify({ ok: results.every((r) => r.status === "pass"), checks: results }, null, 2)}\n`,
    );
    return;
  }
  for (const result of results) {
    const mark = { pass: chalk.green("✔"), fail: chalk.red("✖"), skipped: chalk.dim("–") }[
      result.status
    ];
    context.stdout.write(`${mark} ${result.name}: ${result.detail}\n`);
    if (result.fix) context.stdout.write(`    ${chalk.dim("→")} ${result.fix}\n`);
  }
  const failed = results.filter((r) => r.status !== "pass").length;
  context.stdout.write(
    failed
      ? chalk.red(`\n${failed} check(s) did not pass.\n`)
      : chalk.green("\nAll checks passed.\n"),
  );
}
