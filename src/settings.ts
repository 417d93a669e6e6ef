import { randomBytes } from "node:crypto";
import { requireSettings } from "./config/resolve.js";
import type { Config } from "./config/schema.js";
import type { AdminAccessOptions } from "./http/admin-access.js";
import type { RetentionPolicy } from "./bridge/retention.js";
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

/** One (Twilio number, Front channel) pair the bridge serves, with its own webhook path. */
export interface RouteSettings {
  twilioNumber: string;
  /** Absent only for an application channel not connected yet (learnt at authorization). */
  channelId?: string;
  inboxId?: string;
  /** The token of this route's /front/<token>. */
  webhookToken: string;
  /** A Front tag for every new SMS conversation of the route. */
  tag?: string;
  /** `MG…`: the Messaging Service the route's replies are sent through. */
  messagingServiceSid?: string;
}

/** The validated subset of Config the bridge runs on; every field it needs is present. */
export interface BridgeSettings {
  mode: Config["front"]["mode"];
  /** The credentials of the Front side, and the first route's channel and token. */
  front: FrontSettings;
  /** Every route, the first one being the single-route settings' pair (alone when absent). */
  routes?: RouteSettings[];
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

/**
 * Validates what the bridge needs, then asks for the webhook token (generated and saved on first
 * use), so a failed check writes nothing.
 */
export function bridgeSettingsFrom(
  config: Config,
  /** The first route's token (front.webhookToken), generated and saved on first use. */
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
      flags: options.flags ?? [],
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
  const routes = config.routes.map((route, index): RouteSettings => {
    if (!application && !route.channel)
      throw new ConfigError(`The route of ${route.number} has no Front channel.`, {
        hint: `Add it with \`front-twilio routes add --number ${route.number} --channel cha_…\`.`,
      });
    // An application's URL (the first route's) is front.webhookToken; a custom route may have
    // its own token even when first (the route before it was removed).
    const token =
      index === 0 && (application || !route.webhookToken)
        ? frontSettings.webhookToken
        : route.webhookToken;
    if (!token)
      throw new ConfigError(`The route of ${route.number} has no webhook token.`, {
        hint: "Run `front-twilio routes add` for it again, or `front-twilio serve`, which makes one.",
      });
    return {
      twilioNumber: route.number,
      webhookToken: token,
      ...(index === 0 && frontSettings.channelId ? { channelId: frontSettings.channelId } : {}),
      ...(route.channel ? { channelId: route.channel } : {}),
      ...(route.inbox ? { inboxId: route.inbox } : {}),
      ...(route.tag ? { tag: route.tag } : {}),
      ...(route.messagingService ? { messagingServiceSid: route.messagingService } : {}),
    };
  });
  return {
    mode: front.mode,
    front: frontSettings,
    routes,
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

/** The tuning knobs of the settings table, as the bridge's collaborators take them. */
/** The routes of the settings: the listed ones, or the single pair of `front` and `twilio`. */
export function routesOf(settings: BridgeSettings): RouteSettings[] {
  if (settings.routes?.length) return settings.routes;
  const { front, twilio } = settings;
  return [
    {
      twilioNumber: twilio.phoneNumber,
      webhookToken: front.webhookToken,
      ...(front.channelId ? { channelId: front.channelId } : {}),
    },
  ];
}

export function tuningFrom(config: Config): Tuning {
  const { tuning: knobs, retention } = config;
  if (retention.keys < retention.payloads)
    throw new ConfigError(
      "retention.keys (FRONT_TWILIO_KEY_RETENTION) is shorter than retention.payloads (FRONT_TWILIO_RETENTION): a message's dedupe key must outlive its payload.",
      {
        hint: "Set FRONT_TWILIO_KEY_RETENTION to at least FRONT_TWILIO_RETENTION (defaults 30d and 7d).",
      },
    );
  const tuning: Tuning = { retention: { payloadMs: retention.payloads, keyMs: retention.keys } };
  if (knobs.retryBaseMs !== undefined) tuning.retryBaseMs = knobs.retryBaseMs;
  if (knobs.sendDeadlineMs !== undefined) tuning.sendDeadlineMs = knobs.sendDeadlineMs;
  if (knobs.pollMs !== undefined) tuning.pollMs = knobs.pollMs;
  if (knobs.paceMs !== undefined) tuning.paceMs = knobs.paceMs;
  if (knobs.mediaTtlMs !== undefined) tuning.mediaTtlMs = knobs.mediaTtlMs;
  if (knobs.maxBackoff !== undefined) tuning.maxBackoffMs = knobs.maxBackoff;
  if (knobs.doubtMs !== undefined) tuning.doubtMs = knobs.doubtMs;
  return tuning;
}
