import { randomBytes } from "node:crypto";
import { resolveConfig, type Resolved } from "../config/resolve.js";
import type { Config, SettingKey, SettingValue } from "../config/schema.js";
import { createCliLogger, type Logger } from "../log.js";
import { foldSingleRoute } from "../config/routes.js";
import { createConfigStore, type ConfigStore } from "../config/store.js";
import { findLiveBridge, type LiveBridge } from "../live/live-bridge.js";

/** What the CLI is run with: tests pass their own streams and environment. */
export interface MainDeps {
  env?: Record<string, string | undefined>;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Where `.env` is looked for (the working directory). */
  cwd?: string;
}

/** What every command gets from the CLI: streams, environment, the profile's config file. */
export interface CommandContext {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  profile: string;
  /** Settings given as global flags (--log-format, --log-level), the highest precedence. */
  globalFlags: Partial<Record<SettingKey, SettingValue | undefined>>;
  configStore(): ConfigStore;
}

export function createContext(options: {
  env?: Record<string, string | undefined>;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  profile?: string;
  globalFlags?: Partial<Record<SettingKey, SettingValue | undefined>>;
}): CommandContext {
  const env = options.env ?? process.env;
  const profile = options.profile ?? env.FRONT_TWILIO_PROFILE ?? "default";
  let store: ConfigStore | undefined;
  return {
    env,
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    profile,
    globalFlags: options.globalFlags ?? {},
    configStore: () =>
      (store ??= createConfigStore({
        profile,
        ...(env.FRONT_TWILIO_CONFIG_DIR ? { cwd: env.FRONT_TWILIO_CONFIG_DIR } : {}),
      })),
  };
}

export function loadConfig(
  context: CommandContext,
  flags: Partial<Record<SettingKey, SettingValue | undefined>> = {},
): Resolved {
  const store = context.configStore();
  const file = store.read();
  const resolved = resolveConfig({
    file,
    env: context.env,
    flags: { ...context.globalFlags, ...flags },
    defaults: { dataDir: store.defaultDataDir() },
    filePath: store.path,
  });
  // A file of the single-route format (0.1) is migrated on first use, once it proved valid.
  foldRoutesFile(store, file);
  return resolved;
}

/** Moves the file's single-route keys into its `routes` list (see foldSingleRoute). */
export function foldRoutesFile(store: ConfigStore, file = store.read()): void {
  const folded = foldSingleRoute(file);
  if (folded) store.replace(folded);
}

/**
 * For the commands that talk to a running bridge (send-test, doctor, status, simulate): when `serve`
 * runs on this machine, its live public URL (a dev tunnel's) is the one it checks signatures
 * against, so it wins over the configured one.
 */
export function loadClientConfig(
  context: CommandContext,
  flags: Partial<Record<SettingKey, SettingValue | undefined>> = {},
): Resolved & { live: LiveBridge | undefined } {
  const resolved = loadConfig(context, flags);
  const live = findLiveBridge(resolved.config.bridge.dataDir);
  if (live) {
    resolved.config.bridge.publicUrl = live.publicUrl;
    resolved.config.bridge.port = live.port;
  }
  return { ...resolved, live };
}

/** 128 random bits for /front/<token>; generated once and kept in the config file. */
export function ensureWebhookToken(context: CommandContext, resolved: Resolved): string {
  const existing = resolved.config.front.webhookToken;
  if (existing) return existing;
  const token = randomBytes(16).toString("base64url");
  context.configStore().set("front.webhookToken", token);
  resolved.config.front.webhookToken = token;
  resolved.sources["front.webhookToken"] = "file";
  return token;
}

/** The logger of a long-running command: log.format and log.level, the configured secrets masked. */
export function commandLogger(
  context: CommandContext,
  config: Config,
  options: { verbose?: boolean } = {},
): Logger {
  return createCliLogger({
    stdout: context.stdout,
    stderr: context.stderr,
    format: config.log.format,
    level: options.verbose ? "debug" : config.log.level,
    secrets: [
      config.front.apiToken,
      config.front.webhookSecret,
      config.front.webhookToken,
      config.front.appSecret,
      config.twilio.authToken,
      config.twilio.apiSecret,
    ],
  });
}
