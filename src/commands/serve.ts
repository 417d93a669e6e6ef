import chalk from "chalk";
import { join } from "node:path";
import { createBridge } from "../app.js";
import type { SettingKey, SettingValue } from "../config/schema.js";
import { startHttpServer } from "../http/server.js";
import { createCliLogger } from "../log.js";
import { bridgeSettingsFrom, tuningFromEnv } from "../settings.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import { ensureWebhookToken, loadConfig, type CommandContext } from "./context.js";

export interface ServeOptions {
  port?: number;
  host?: string;
  publicUrl?: string;
  dataDir?: string;
  verbose?: boolean;
}

/** Runs the bridge until SIGINT/SIGTERM (or `stopSignal`), then stops gracefully. Resolves to the exit code. */
export async function serve(
  options: ServeOptions,
  context: CommandContext,
  stopSignal: Promise<unknown> = signalled(),
): Promise<number> {
  const flags: Partial<Record<SettingKey, SettingValue | undefined>> = {
    "bridge.port": options.port,
    "bridge.host": options.host,
    "bridge.publicUrl": options.publicUrl,
    "bridge.dataDir": options.dataDir,
  };
  const resolved = loadConfig(context, flags);
  const settings = bridgeSettingsFrom(resolved.config, () => ensureWebhookToken(context, resolved));
  const { config } = resolved;
  const logger = createCliLogger({
    stdout: context.stdout,
    stderr: context.stderr,
    verbose: options.verbose ?? false,
  });

  const store = openSqliteStore(config.bridge.dataDir);
  const bridge = createBridge({ settings, store, logger, tuning: tuningFromEnv(context.env) });
  let server;
  try {
    server = await startHttpServer(bridge.handle, {
      host: config.bridge.host,
      port: config.bridge.port,
      logger,
    });
  } catch (error) {
    store.close();
    throw error;
  }
  bridge.start();

  const queue = store.summary();
  const publicUrl = settings.publicUrl;
  const out = (line = "") => context.stdout.write(`${line}\n`);
  out(
    chalk.green(
      `✔ Ready: front-twilio bridge, Front ${settings.mode} channel ${settings.front.channelId} ⇄ Twilio ${settings.twilio.phoneNumber}`,
    ),
  );
  out(`  Listening on       ${server.url}`);
  out(
    `  Twilio SMS URL     ${publicUrl}/twilio/sms  (HTTP POST, on the number ${settings.twilio.phoneNumber})`,
  );
  out(
    `  Front webhook URL  ${publicUrl}${bridge.channel.webhookPath()}  (the custom channel's outgoing URL)`,
  );
  out(`  Status callbacks   ${publicUrl}/twilio/status`);
  out(`  Health             ${publicUrl}/healthz`);
  out(
    `  Store              ${join(config.bridge.dataDir, "bridge.sqlite")} (${queue.pending + queue.running} pending, ${queue.dead} dead)`,
  );
  out(chalk.dim("  Press Ctrl+C to stop."));

  await stopSignal;
  out("Stopping: no new requests, finishing work in flight…");
  await server.close();
  await bridge.stop();
  store.close();
  out("Stopped.");
  return 0;
}

function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
