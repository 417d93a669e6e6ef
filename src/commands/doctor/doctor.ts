import { join } from "node:path";
import { createChannelApiClient, type ChannelApiClient } from "../../clients/front-channel-api.js";
import { createFrontClient, type FrontClient } from "../../clients/front.js";
import { createTwilioGateway, type TwilioGateway } from "../../clients/twilio.js";
import { causeMessage } from "../../errors.js";
import { fetchBridge } from "../../live/bridge-request.js";
import { readUnrouted } from "../../bridge/unrouted.js";
import { selectRoutes } from "../../config/routes.js";
import { bridgeSettingsFrom, routesOf, type BridgeSettings } from "../../settings.js";
import { createFrontTagsClient } from "../../clients/front-tags.js";
import { checkFrontToken } from "../../setup/front-checks.js";
import { checkFirstResponseRule } from "../../setup/first-response.js";
import { checkPrivatePaths } from "../../setup/private-paths.js";
import { describeStore, openExistingStore } from "../../store/open-store.js";
import { checkDatabase } from "../../store/pg-check.js";
import { loadClientConfig, type CommandContext } from "../context.js";
import { createChecks, report } from "./checks.js";
import { appChannelCheck, customChannelChecks, twilioNumberChecks } from "./route-checks.js";

export type { CheckResult } from "./checks.js";

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

/** Re-checks everything init set up, for every route (or `--route`); exit 0 only when all pass. */
export async function doctor(
  options: { json?: boolean; route?: string },
  context: CommandContext,
  deps: DoctorDeps = {},
): Promise<number> {
  const { results, record } = createChecks(() =>
    tunnelMode && settings && !live
      ? "skipped: dev tunnel mode, and `front-twilio serve --tunnel` is not running here"
      : "skipped: an earlier check failed",
  );

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
      const pairs = routesOf(settings).map(
        (route) =>
          `Front ${settings!.mode} channel ${route.channelId ?? "(connects at authorization)"} ⇄ Twilio ${route.twilioNumber}`,
      );
      return `profile ${context.profile}, ${pairs.join(", ")}${where}`;
    },
    RERUN,
  );

  const routes = settings
    ? selectRoutes(
        routesOf(settings),
        options.route,
        (route) => ({ number: route.twilioNumber, channel: route.channelId }),
        settings.defaultCountry,
      )
    : [];
  const checks = routes.map((route) => ({
    route,
    label: routes.length > 1 || options.route ? ` (${route.twilioNumber})` : "",
    publicUrl: settings && !tunnelMode ? settings.publicUrl : undefined,
    advice: { rerun, owner },
  }));
  const twilio =
    settings && (deps.createTwilio ?? ((s) => createTwilioGateway(s.twilio)))(settings);

  if (settings?.front.mode === "application") {
    const app = settings.front;
    const api = (
      deps.createChannelApi ??
      ((a) =>
        createChannelApiClient({ appUid: a.appUid, appSecret: a.appSecret, baseUrl: a.baseUrl }))
    )(app);
    const learnt = await storedChannel(config.bridge);
    for (const [index, check] of checks.entries())
      await appChannelCheck(record, api, {
        ...check,
        appUid: app.appUid,
        channelId: check.route.channelId ?? (index === 0 ? learnt : undefined),
      });
  } else if (settings?.front.mode === "custom") {
    const custom = settings.front;
    const front = (
      deps.createFront ?? ((s) => createFrontClient({ token: s.apiToken, baseUrl: s.baseUrl }))
    )(custom);
    let company: string | undefined;
    await record(
      "Front API token",
      [],
      async () => `works for ${(company = await checkFrontToken(front))}`,
    );
    for (const check of checks) await customChannelChecks(record, front, check, company);
    await record("Front first-response rule", [company], async () =>
      checkFirstResponseRule(
        createFrontTagsClient({ token: custom.apiToken, baseUrl: custom.baseUrl }),
      ),
    );
  }
  for (const check of checks)
    await twilioNumberChecks(record, twilio!, {
      ...check,
      accountSid: settings!.twilio.accountSid,
    });
  await record(
    "Bridge reachable at its public URL",
    [settings, tunnelMode ? undefined : true],
    async () => {
      const url = `${settings!.publicUrl}/healthz`;
      const response = await fetchBridge(url, {
        timeoutMs: 5_000,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      }).catch((error: unknown) => {
        throw new Error(`${url} did not answer (${causeMessage(error)})`);
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

  await record(
    "Messages to numbers with no route",
    [databaseCurrent],
    async () => {
      const store = await openExistingStore(config.bridge);
      if (!store) return "none (no store yet)";
      const numbers = await readUnrouted(store).finally(() => store.close());
      if (numbers.length === 0) return "none";
      throw new Error(
        numbers
          .map(
            (n) =>
              `${n.number} received ${n.count} message(s) no channel got (last ${new Date(n.lastAt).toISOString()}, ${n.lastSid})`,
          )
          .join("; "),
      );
    },
    "Add a route for the number (`front-twilio routes add --number <number>`), or point its SMS URL elsewhere in Twilio.",
  );

  report(results, options.json ?? false, context);
  return results.every((r) => r.status === "pass") ? 0 : 1;
}

/** The application channel Front connected (authorization), as the bridge recorded it. */
async function storedChannel(location: {
  dataDir: string;
  databaseUrl?: string;
}): Promise<string | undefined> {
  const store = await openExistingStore(location);
  if (!store) return undefined;
  try {
    return await store.getMeta("application.channelId");
  } finally {
    await store.close();
  }
}
