import { afterEach, beforeEach, expect } from "vitest";
import Database from "better-sqlite3";
import { createBridge, type Bridge } from "../../src/app.js";
import { createTwilioGateway } from "../../src/clients/twilio.js";
import { startHttpServer } from "../../src/http/server.js";
import {
  routesOf,
  type BridgeSettings,
  type RouteSettings,
  type Tuning,
} from "../../src/settings.js";
import { startFrontStandIn, type FrontStandIn } from "../../src/stand-ins/front-stand-in.js";
import { startTwilioStandIn, type TwilioStandIn } from "../../src/stand-ins/twilio-stand-in.js";
import { createSqliteStore } from "../../src/store/sqlite-store.js";
import type { Store } from "../../src/store/store.js";
import { contractValidators } from "./contract.js";
import { freePort } from "./net.js";
import { recordingLogger, type RecordingLogger } from "./recording-logger.js";

export const CUSTOMER = "+14155550123";
export const WEBHOOK_TOKEN = "test-webhook-token-0123456789abcdef";
export const APP_UID = "app_uid_test";
export const APP_SECRET = "app-secret-for-tests";

export interface Harness {
  front: FrontStandIn;
  twilio: TwilioStandIn;
  store: Store;
  bridge: Bridge;
  logger: RecordingLogger;
  publicUrl: string;
  frontWebhookUrl: string;
  close(): Promise<void>;
}

/** The real bridge, in process, on a real port, against the Front and Twilio stand-ins. */
export async function startHarness(
  options: {
    webhookSecret?: string;
    tuning?: Tuning;
    twilioTimeoutMs?: number;
    /** Run the bridge on a Front application channel (Channel API) instead of a custom channel. */
    application?: boolean;
    /** enrich.callerName on. */
    callerNames?: boolean;
    /** Puts something between the bridge and its store (for example a disk that fills up). */
    wrapStore?: (store: Store) => Store;
    /** How often the server logs a repeating store fault again. */
    faultLogIntervalMs?: number;
    /** The bridge's fetch (its calls to Front), e.g. to lose an answer after Front acted on it. */
    fetch?: typeof globalThis.fetch;
    /** Routes after the first (which is the stand-ins' number and channel); their numbers are added to Twilio. */
    moreRoutes?: RouteSettings[];
  } = {},
): Promise<Harness> {
  const contract = await contractValidators();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const frontWebhookUrl = `${publicUrl}/front/${WEBHOOK_TOKEN}`;
  const front = await startFrontStandIn({
    validate: contract.front,
    channel: { id: "cha_test", webhookUrl: frontWebhookUrl },
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
    ...(options.application
      ? { app: { uid: APP_UID, secret: APP_SECRET, channelId: "cha_app" } }
      : {}),
  });
  const twilio = await startTwilioStandIn({
    validate: contract.twilio,
    smsUrl: `${publicUrl}/twilio/sms`,
  });
  for (const route of options.moreRoutes ?? [])
    twilio.numbers.push({
      ...twilio.numbers[0]!,
      sid: `PN${route.twilioNumber.slice(1).padEnd(32, "0")}`,
      phone_number: route.twilioNumber,
    });
  const settings: BridgeSettings = {
    mode: options.application ? "application" : "custom",
    front: options.application
      ? {
          mode: "application",
          appUid: APP_UID,
          appSecret: APP_SECRET,
          webhookToken: WEBHOOK_TOKEN,
          baseUrl: front.url,
        }
      : {
          mode: "custom",
          apiToken: front.token,
          channelId: "cha_test",
          webhookToken: WEBHOOK_TOKEN,
          baseUrl: front.url,
          ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
        },
    twilio: {
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      phoneNumber: twilio.numbers[0]!.phone_number,
      baseUrl: twilio.url,
    },
    publicUrl,
    ...(options.callerNames ? { callerNames: true } : {}),
  };
  if (options.moreRoutes) settings.routes = [...routesOf(settings), ...options.moreRoutes];
  const store = createSqliteStore(new Database(":memory:"));
  const logger = recordingLogger();
  const bridge = await createBridge({
    settings,
    store: options.wrapStore ? options.wrapStore(store) : store,
    logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    twilio: createTwilioGateway({
      ...settings.twilio,
      timeoutMs: options.twilioTimeoutMs ?? 1_000,
    }),
    tuning: { retryBaseMs: 20, sendDeadlineMs: 400, pollMs: 50, doubtMs: 300, ...options.tuning },
  });
  const server = await startHttpServer(bridge.handle, {
    host: "127.0.0.1",
    port,
    logger,
    ...(options.faultLogIntervalMs === undefined
      ? {}
      : { faultLogIntervalMs: options.faultLogIntervalMs }),
  });
  bridge.start();
  return {
    front,
    twilio,
    store,
    bridge,
    logger,
    publicUrl,
    frontWebhookUrl,
    async close() {
      await server.close();
      await bridge.stop();
      await store.close();
      await front.close();
      await twilio.close();
    },
  };
}

/**
 * Starts a fresh harness before each test of the enclosing `describe` and closes it after, checking
 * that no request broke the vendors' contracts. The returned object stands for the current one.
 */
export function useHarness(options: Parameters<typeof startHarness>[0] = {}): Harness {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = await startHarness(options);
  });
  afterEach(async () => {
    await current!.close();
    expect(current!.front.violations).toEqual([]);
    expect(current!.twilio.violations).toEqual([]);
  });
  return new Proxy({} as Harness, { get: (_, key) => Reflect.get(current!, key) as unknown });
}
