import chalk from "chalk";
import { createBridge } from "../../app.js";
import { systemClock } from "../../clock.js";
import type { SettingKey, SettingValue } from "../../config/schema.js";
import { startHttpServer } from "../../http/server.js";
import { bridgeSettingsFrom, tuningFrom } from "../../settings.js";
import { describeStore, openPaceBudget, openStore } from "../../store/open-store.js";
import { openLocaltunnel, type OpenTunnel } from "../../tunnel/tunnel.js";
import { commandLogger, ensureWebhookToken, loadConfig, type CommandContext } from "../context.js";
import { parseDuration } from "../../duration.js";
import { bannerLines } from "./banner.js";
import { SERVE_FLAGS } from "./flags.js";
import { startCatchUp } from "./catch-up.js";
import { createDevTunnel } from "./tunnel.js";
import { forgetLiveBridge, recordLiveBridge } from "../../live/live-bridge.js";
import { SIGNAL_EXIT, stopRequested } from "../../signals.js";

export interface ServeOptions {
  /** The settings given as flags (--port, --public-url, …), validated by the settings table. */
  flags?: Partial<Record<SettingKey, SettingValue | undefined>>;
  verbose?: boolean;
  tunnel?: boolean;
  subdomain?: string;
  tunnelHost?: string;
  /** How far back to reconcile at start for the time the bridge was down ("24h"; "0" = off). */
  catchUp?: string;
}

export interface ServeDeps {
  stopSignal?: Promise<unknown>;
  openTunnel?: OpenTunnel;
}

/** Runs the bridge until SIGINT/SIGTERM, then stops gracefully. Resolves to the exit code. */
export async function serve(
  options: ServeOptions,
  context: CommandContext,
  deps: ServeDeps = {},
): Promise<number> {
  const flags = options.flags ?? {};
  const windowMs = parseDuration(options.catchUp ?? "24h", "--catch-up");
  const resolved = loadConfig(context, flags);
  const tunnel = options.tunnel ?? false;
  const settings = bridgeSettingsFrom(
    resolved.config,
    () => ensureWebhookToken(context, resolved),
    { tunnel, flags: SERVE_FLAGS },
  );
  const { config } = resolved;
  const logger = commandLogger(context, config, { verbose: options.verbose ?? false });
  const out = (line = "") => context.stdout.write(`${line}\n`);
  const stopSignal = deps.stopSignal ?? stopRequested({ stderr: context.stderr });

  const store = await openStore(config.bridge, { warn: (m) => logger.warn(m) });
  // Instances sharing a database share Front's rate budget too.
  const paceBudget = openPaceBudget(config.bridge);
  const bridge = await createBridge({
    settings,
    store,
    logger,
    tuning: tuningFrom(config),
    ...(paceBudget ? { paceBudget } : {}),
  });
  const stops: (() => Promise<void>)[] = [
    () => store.close(),
    async () => paceBudget?.close(),
    () => bridge.stop(),
  ];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  // A stop requested while starting (a slow tunnel server) ends the start too.
  let interrupted: string | undefined;
  const interruption = stopSignal.then((signal) => {
    interrupted = typeof signal === "string" ? signal : "stop";
  });
  const orStop = async <T>(work: Promise<T>): Promise<T> => {
    await Promise.race([work.catch(() => undefined), interruption]);
    if (interrupted) throw new Interrupted(SIGNAL_EXIT[interrupted] ?? 130);
    return work;
  };
  try {
    const server = await orStop(
      startHttpServer(bridge.handle, {
        host: config.bridge.host,
        port: config.bridge.port,
        logger,
      }),
    );
    stops.push(() => server.close());
    bridge.start();
    const catchUp = await startCatchUp({
      store,
      bridge,
      windowMs,
      clock: systemClock,
      logger,
      ...(settings.defaultCountry ? { defaultCountry: settings.defaultCountry } : {}),
    });
    stops.push(() => catchUp.stop());
    const listening = `http://${config.bridge.host.includes(":") ? `[${config.bridge.host}]` : config.bridge.host}:${server.port}`;
    const live = (publicUrl: string) =>
      recordLiveBridge(config.bridge.dataDir, {
        pid: process.pid,
        publicUrl,
        localUrl: server.url,
        port: server.port,
        tunnel,
        startedAt: new Date().toISOString(),
        // The run's own admin token behind a tunnel, for `status` on this host.
        ...(tunnel && !config.bridge.adminToken && settings.admin?.token
          ? { adminToken: settings.admin.token }
          : {}),
      });
    stops.push(async () => forgetLiveBridge(config.bridge.dataDir));
    if (tunnel) {
      const dev = createDevTunnel({
        bridge,
        settings,
        store,
        port: server.port,
        host: config.bridge.host,
        open: deps.openTunnel ?? openLocaltunnel,
        logger,
        clock: systemClock,
        out,
        onUrl: live,
        ...(options.subdomain ? { subdomain: options.subdomain } : {}),
        ...(options.tunnelHost ? { tunnelHost: options.tunnelHost } : {}),
      });
      stops.push(() => dev.stop());
      await orStop(dev.start());
    } else {
      live(bridge.publicUrl());
    }
    const queue = await store.summary();
    for (const line of bannerLines(bridge, settings, listening)) out(line);
    out(
      `  Store              ${describeStore(config.bridge)} (${queue.pending + queue.running} pending, ${queue.dead} dead)`,
    );
    out(chalk.dim("  Press Ctrl+C to stop."));
  } catch (error) {
    await stopAll();
    if (error instanceof Interrupted) {
      out("Stopped before the bridge was ready.");
      return error.exitCode;
    }
    throw error;
  }

  await stopSignal;
  out("Stopping: no new requests, finishing work in flight…");
  await stopAll();
  out("Stopped.");
  return 0;
}

class Interrupted extends Error {
  constructor(readonly exitCode: number) {
    super("interrupted");
  }
}
