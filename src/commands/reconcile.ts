import { inboundKey } from "../bridge/job-keys.js";
import { createBridge } from "../app.js";
import { reconcile } from "../bridge/reconcile.js";
import { systemClock } from "../clock.js";
import { parseDuration } from "../duration.js";
import { bridgeSettingsFrom, tuningFrom } from "../settings.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { selectRoutes } from "../config/routes.js";
import { commandLogger, loadConfig, type CommandContext } from "./context.js";

export interface ReconcileOptions {
  since?: string;
  /** One route, by number or channel id; every route when absent. */
  route?: string;
  timeoutSeconds?: number;
}

/**
 * `front-twilio reconcile --since 2h`: queues the messages Twilio received that the store has never
 * seen and delivers them to Front through the normal path. Exit 0 when all were delivered (or
 * none were missing), 1 when Front refused some, 3 when some are still queued at the timeout.
 */
export async function reconcileCommand(
  options: ReconcileOptions,
  context: CommandContext,
): Promise<number> {
  const windowMs = parseDuration(options.since ?? "24h", "--since");
  const { config } = loadConfig(context);
  // Reconciling needs no public URL and no path token: nothing is received here.
  const settings = bridgeSettingsFrom(config, () => config.front.webhookToken ?? "unused", {
    tunnel: true,
    command: "reconcile",
  });
  const logger = commandLogger(context, config);
  const store = await openStore(config.bridge);
  const bridge = await createBridge({
    settings,
    store,
    logger,
    tuning: tuningFrom(config),
  });
  const out = (line: string) => context.stdout.write(`${line}\n`);
  try {
    const since = new Date(systemClock.now() - windowMs);
    const chosen = selectRoutes(
      bridge.routes,
      options.route,
      ({ route }) => ({ number: route.twilioNumber, channel: route.channelId }),
      settings.defaultCountry,
    );
    const keys: string[] = [];
    for (const { route } of chosen) {
      const result = await reconcile({
        store,
        twilio: bridge.twilio,
        route,
        since,
        clock: systemClock,
        logger,
        ...(settings.defaultCountry ? { defaultCountry: settings.defaultCountry } : {}),
      });
      out(
        `Twilio received ${result.seen} message(s) for ${route.twilioNumber} since ${since.toISOString()}; ${result.queued.length} had not reached the bridge.`,
      );
      keys.push(...result.queued.map((sms) => inboundKey(sms.messageSid)));
    }
    if (keys.length === 0) return 0;
    bridge.start();
    const settled = await waitForJobs(store, keys, (options.timeoutSeconds ?? 120) * 1000);
    await bridge.stop();
    const states = await Promise.all(keys.map(async (key) => (await store.getByKey(key))?.state));
    const dead = states.filter((state) => state === "dead").length;
    const waiting = keys.length - settled;
    out(
      `Delivered ${settled - dead} to Front${dead ? `; ${dead} refused by Front (see \`front-twilio queue list\`)` : ""}${waiting ? `; ${waiting} still queued (the bridge delivers them when it runs)` : ""}.`,
    );
    return dead ? 1 : waiting ? 3 : 0;
  } finally {
    await store.close();
  }
}

/** How many of the jobs finished (delivered or dead) before the timeout. */
async function waitForJobs(store: Store, keys: string[], timeoutMs: number): Promise<number> {
  const deadline = systemClock.now() + timeoutMs;
  const finished = async () => {
    const jobs = await Promise.all(keys.map((key) => store.getByKey(key)));
    return jobs.filter((job) => job && ["done", "dead", "dropped"].includes(job.state)).length;
  };
  while ((await finished()) < keys.length && systemClock.now() < deadline)
    await systemClock.sleep(100);
  return finished();
}
