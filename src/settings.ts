import { randomBytes } from "node:crypto";
import { requireSettings } from "./config/resolve.js";
import type { Config } from "./config/schema.js";
import type { AdminAccessOptions } from "./http/admin-access.js";
import { DEFAULT_RETENTION, type RetentionPolicy } from "./bridge/retention.js";
import { parseDuration } from "./duration.js";
import { ConfigError } from "./errors.js";

/** The Front side, by channel mode; each mode's required credentials are present. */
export type FrontSettings =
  | {
      mode: "custom";
      apiToken: string;
      channelId: string;
      webhookToken: string;
      webhookSecret?: string;
      baseUrl: string;
    }
  | {
      mode: "application";
      appUid: string;
      appSecret: string;
      /** Known from the config, or later from Front's authorization event. */
      channelId?: string;
      apiToken?: string;
      webhookToken: string;
      baseUrl: string;
    };

/** The validated subset of Config the bridge runs on; every field it needs is present. */
export interface BridgeSettings {
  mode: Config["front"]["mode"];
  front: FrontSettings;
  twilio: {
    accountSid: string;
    authToken: string;
    apiKey?: string;
    apiSecret?: string;
    phoneNumber: string;
    baseUrl?: string;
  };
  publicUrl: string;
  defaultCountry?: string;
  /** Look up caller names with Twilio Lookup (billed). */
  callerNames?: boolean;
  /** Who may read /metrics and the detailed /healthz (default: loopback clients only). */
  admin?: AdminAccessOptions;
}

/** Hidden knobs: tests shorten them; operators rarely need to. */
export interface Tuning {
  retryBaseMs?: number;
  sendDeadlineMs?: number;
  pollMs?: number;
  /** One Front call per channel per this many ms, replacing the default pacing (tests: 0 = none). */
  paceMs?: number;
  /** Pacing as Front's limits are, on another time scale (benchmarks shrink a minute to seconds). */
  pacing?: {
    minIntervalMs: number;
    burst: { count: number; windowMs: number };
    companyWindowMs: number;
  };
  /** How long /media/<token> serves an agent's attachment (default one hour). */
  mediaTtlMs?: number;
  /** How often a repeating store fault (a full disk) is logged again, with a count (default 5 s). */
  faultLogIntervalMs?: number;
  /** Retention of finished jobs' payloads (default 7 days) and of dedupe keys and links (30 days). */
  retention?: RetentionPolicy;
  /** The longest wait between two attempts of a job (default 60 s). */
  maxBackoffMs?: number;
  /**
   * How long after an attempt whose outcome is unknown its request may still take effect at
   * Twilio or Front; only then is "not found" taken as "certainly absent" (default 10 s).
   */
  doubtMs?: number;
}

export const SERVE_FLAGS = ["--port", "--host", "--public-url", "--data-dir", "--tunnel"] as const;

/**
 * Validates what the bridge needs, then asks for the webhook token (generated and saved on first
 * use), so a failed check writes nothing.
 */
export function bridgeSettingsFrom(
  config: Config,
  webhookToken: () => string,
  /** `command` and `flags` name what the user ran, in the list of missing settings. */
  options: { tunnel?: boolean; command?: string; flags?: readonly string[] } = {},
): BridgeSettings {
  const application = config.front.mode === "application";
  requireSettings(
    config,
    [
      ...(application
        ? (["front.appUid", "front.appSecret"] as const)
        : (["front.apiToken", "front.channelId"] as const)),
      "twilio.accountSid",
      "twilio.authToken",
      "twilio.phoneNumber",
      ...(options.tunnel ? [] : (["bridge.publicUrl"] as const)),
    ],
    {
      name: options.command ?? "serve",
      flags: options.flags ?? (options.command ? [] : SERVE_FLAGS),
    },
  );
  const { front, twilio } = config;
  const frontSettings: FrontSettings = application
    ? {
        mode: "application",
        appUid: front.appUid!,
        appSecret: front.appSecret!,
        webhookToken: webhookToken(),
        baseUrl: config.api.frontUrl,
        ...(front.channelId ? { channelId: front.channelId } : {}),
        ...(front.apiToken ? { apiToken: front.apiToken } : {}),
      }
    : {
        mode: "custom",
        apiToken: front.apiToken!,
        channelId: front.channelId!,
        webhookToken: webhookToken(),
        baseUrl: config.api.frontUrl,
        ...(front.webhookSecret ? { webhookSecret: front.webhookSecret } : {}),
      };
  return {
    mode: front.mode,
    front: frontSettings,
    twilio: {
      accountSid: twilio.accountSid!,
      authToken: twilio.authToken!,
      phoneNumber: twilio.phoneNumber!,
      ...(twilio.apiKey && twilio.apiSecret
        ? { apiKey: twilio.apiKey, apiSecret: twilio.apiSecret }
        : {}),
      ...(config.api.twilioUrl ? { baseUrl: config.api.twilioUrl } : {}),
    },
    // With --tunnel the public URL is the tunnel's, known once it opens.
    publicUrl: options.tunnel ? "http://tunnel.invalid" : config.bridge.publicUrl!,
    ...(config.phone.defaultCountry ? { defaultCountry: config.phone.defaultCountry } : {}),
    ...(config.enrich.callerName ? { callerNames: true } : {}),
    // Through a dev tunnel every request comes from this machine: loopback proves nothing there,
    // so without a configured token the run makes one of its own, which `serve` records for the
    // other commands of this host (serve.json, 0600, in the data dir).
    admin: {
      loopback: !options.tunnel,
      ...(config.bridge.adminToken
        ? { token: config.bridge.adminToken }
        : options.tunnel
          ? { token: randomBytes(24).toString("base64url") }
          : {}),
    },
  };
}

export function tuningFromEnv(env: Record<string, string | undefined>): Tuning {
  const ms = (name: string) => {
    const value = Number(env[name]);
    return env[name] !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const tuning: Tuning = {};
  const retryBaseMs = ms("FRONT_TWILIO_RETRY_BASE_MS");
  const sendDeadlineMs = ms("FRONT_TWILIO_SEND_DEADLINE_MS");
  const pollMs = ms("FRONT_TWILIO_POLL_MS");
  const paceMs = ms("FRONT_TWILIO_PACE_MS");
  if (paceMs !== undefined) tuning.paceMs = paceMs;
  const mediaTtlMs = ms("FRONT_TWILIO_MEDIA_TTL_MS");
  if (mediaTtlMs !== undefined) tuning.mediaTtlMs = mediaTtlMs;
  if (retryBaseMs !== undefined) tuning.retryBaseMs = retryBaseMs;
  if (sendDeadlineMs !== undefined) tuning.sendDeadlineMs = sendDeadlineMs;
  if (pollMs !== undefined) tuning.pollMs = pollMs;
  if (env.FRONT_TWILIO_MAX_BACKOFF !== undefined) {
    tuning.maxBackoffMs = parseDuration(env.FRONT_TWILIO_MAX_BACKOFF, "FRONT_TWILIO_MAX_BACKOFF");
    if (tuning.maxBackoffMs <= 0)
      throw new ConfigError("FRONT_TWILIO_MAX_BACKOFF must be more than 0.", {
        hint: "For example FRONT_TWILIO_MAX_BACKOFF=60s (the default).",
      });
  }
  const doubtMs = ms("FRONT_TWILIO_DOUBT_MS");
  if (doubtMs !== undefined) tuning.doubtMs = doubtMs;
  const payloadRetention = env.FRONT_TWILIO_RETENTION;
  const keyRetention = env.FRONT_TWILIO_KEY_RETENTION;
  if (payloadRetention !== undefined || keyRetention !== undefined) {
    tuning.retention = {
      payloadMs: payloadRetention
        ? parseDuration(payloadRetention, "FRONT_TWILIO_RETENTION")
        : DEFAULT_RETENTION.payloadMs,
      keyMs: keyRetention
        ? parseDuration(keyRetention, "FRONT_TWILIO_KEY_RETENTION")
        : DEFAULT_RETENTION.keyMs,
    };
    if (tuning.retention.keyMs < tuning.retention.payloadMs)
      throw new ConfigError(
        "FRONT_TWILIO_KEY_RETENTION is shorter than FRONT_TWILIO_RETENTION: a message's dedupe key must outlive its payload.",
        {
          hint: "Set FRONT_TWILIO_KEY_RETENTION to at least FRONT_TWILIO_RETENTION (defaults 30d and 7d).",
        },
      );
  }
  return tuning;
}
