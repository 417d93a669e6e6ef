import { createFrontClient } from "../../clients/front.js";
import { createTwilioGateway, type TwilioGateway } from "../../clients/twilio.js";
import { explainTwilioError, toTwilioApiError } from "../../clients/twilio-errors.js";
import { systemClock, type Clock } from "../../clock.js";
import { requireSettings } from "../../config/resolve.js";
import type { Config } from "../../config/schema.js";
import { BridgeError, errorMessage } from "../../errors.js";
import { normalizeAddress } from "../../phone.js";
import { threadKey } from "../../types.js";
import { selectRoutes } from "../../config/routes.js";
import { loadClientConfig, type CommandContext } from "../context.js";
import { bridgeCallbacks, FINAL, followCallbacks, pollTwilio } from "./follow.js";
import { createProgress } from "./progress.js";
import { NOT_PROVEN, type Run, type SendTestOptions } from "./run.js";
import { viaBridge } from "./via-bridge.js";

export { NOT_PROVEN, type SendTestOptions } from "./run.js";

export interface SendTestDeps {
  clock?: Clock;
  pollMs?: number;
  twilio?: TwilioGateway;
}

export async function sendTest(
  options: SendTestOptions,
  context: CommandContext,
  deps: SendTestDeps = {},
): Promise<number> {
  if (options.inbound && options.viaBridge)
    throw new BridgeError("Choose one of --inbound and --via-bridge.", { exitCode: 2 });
  const { config } = loadClientConfig(context);
  useRoute(config, options.route);
  const to = normalizeAddress(options.to, config.phone.defaultCountry);
  if (to.kind === "invalid") {
    throw new BridgeError(`--to ${options.to}: ${to.reason}.`, {
      hint: "Write the number in E.164 form, e.g. --to +14155550123.",
      exitCode: 2,
    });
  }
  const run = { ...options, to: to.value, timeoutMs: (options.timeoutSeconds ?? 60) * 1000 };
  const clock = deps.clock ?? systemClock;
  const pollMs = deps.pollMs ?? 2000;
  if (options.inbound) return inbound(run, config, context, clock, pollMs);
  if (options.viaBridge) return viaBridge(run, config, context, clock, pollMs);
  return outbound(run, config, context, clock, pollMs, deps.twilio);
}

/** A real SMS from the configured number, followed until Twilio reports a final status. */
async function outbound(
  run: Run,
  config: Config,
  context: CommandContext,
  clock: Clock,
  pollMs: number,
  injected?: TwilioGateway,
) {
  requireSettings(config, ["twilio.accountSid", "twilio.authToken", "twilio.phoneNumber"], {
    name: "send-test",
    flags: [],
  });
  const { twilio: t } = config;
  const twilio =
    injected ??
    createTwilioGateway({
      accountSid: t.accountSid!,
      authToken: t.authToken!,
      ...(t.apiKey && t.apiSecret ? { apiKey: t.apiKey, apiSecret: t.apiSecret } : {}),
      ...(config.api.twilioUrl ? { baseUrl: config.api.twilioUrl } : {}),
    });
  const progress = createProgress(
    context.stdout,
    `Sending a test SMS from ${t.phoneNumber} to ${run.to}`,
  );
  const callbacks = await bridgeCallbacks(config);
  let message;
  try {
    message = await twilio.sendMessage({
      to: run.to,
      from: t.phoneNumber!,
      body: run.body ?? "Test message from front-twilio ✔",
      ...(callbacks ? { statusCallback: callbacks.statusCallback } : {}),
    });
  } catch (error) {
    await callbacks?.store.close();
    const failure = toTwilioApiError(error);
    progress.fail(`Twilio refused the message: ${failure.explanation}`);
    return 1;
  }
  const deadline = clock.now() + run.timeoutMs;
  let followed;
  if (callbacks) {
    // Known to the bridge, so it records the callbacks for this message (and tells no agent).
    const route = `${t.phoneNumber!}|send-test`;
    await callbacks.store.linkMessage(
      {
        twilioSid: message.sid,
        route,
        direction: "outbound",
        customer: run.to,
        status: message.status,
      },
      clock.now(),
    );
    followed = await followCallbacks(
      callbacks.store,
      twilio,
      message.sid,
      message.status,
      deadline,
      clock,
      pollMs,
      progress,
    );
    await callbacks.store.close();
  } else {
    followed = await pollTwilio(
      twilio,
      message.sid,
      message.status,
      deadline,
      clock,
      pollMs,
      progress,
    );
  }
  const { status, errorCode } = followed;
  if (status === "delivered" || status === "read") {
    progress.succeed(`Delivered to ${run.to} (${message.sid})`);
    return 0;
  }
  if (FINAL.has(status)) {
    progress.fail(
      `Not delivered (${status}): ${explainTwilioError(errorCode ?? undefined, "no error code")} (${message.sid})`,
    );
    return 1;
  }
  const why =
    status === "sent"
      ? "the carrier accepted it but has not confirmed delivery (some carriers never do)"
      : `Twilio still reports it ${status}`;
  progress.fail(
    `Delivery not proven within ${run.timeoutMs / 1000}s: ${why} (${message.sid}). Check the phone, or the message in the Twilio Console.`,
  );
  return NOT_PROVEN;
}

/** A test message straight into the Front channel, then where Front filed it. */
async function inbound(
  run: Run,
  config: Config,
  context: CommandContext,
  clock: Clock,
  pollMs: number,
) {
  requireSettings(config, ["front.apiToken", "front.channelId"], {
    name: "send-test --inbound",
    flags: [],
  });
  const front = createFrontClient({ token: config.front.apiToken!, baseUrl: config.api.frontUrl });
  const progress = createProgress(
    context.stdout,
    `Posting a test message from ${run.to} into Front channel ${config.front.channelId}`,
  );
  let uid: string;
  try {
    const sender = config.twilio.phoneNumber ?? run.to;
    ({ message_uid: uid } = await front.postIncomingMessage(config.front.channelId!, {
      sender: { handle: run.to },
      body: run.body ?? "Test message from front-twilio send-test --inbound",
      metadata: { thread_ref: threadKey(run.to, sender), headers: { front_twilio: "send-test" } },
    }));
  } catch (error) {
    progress.fail(errorMessage(error));
    return 1;
  }
  const deadline = clock.now() + run.timeoutMs;
  while (clock.now() < deadline) {
    // The import is asynchronous: the alias answers 404 until Front has filed the message.
    const found = await front.getMessage(`alt:uid:${uid}`).catch(() => undefined);
    const conversation = found?._links?.related?.conversation;
    if (conversation) {
      progress.succeed(
        `Front accepted it and filed it in conversation ${conversation.split("/").pop()} (message ${found.id})`,
      );
      return 0;
    }
    progress.update(`Front accepted it (uid ${uid}); waiting for it to be filed`);
    await clock.sleep(pollMs);
  }
  progress.fail(
    `Front accepted the message (uid ${uid}) but had not filed it within ${run.timeoutMs / 1000}s; look for it in the channel's inbox.`,
  );
  return NOT_PROVEN;
}

/**
 * The route send-test proves becomes the single-route settings the rest reads: its number sends,
 * its channel receives. With several routes, `--route` must say which.
 */
function useRoute(config: Config, pick: string | undefined): void {
  if (config.routes.length === 0) return;
  if (config.routes.length > 1 && pick === undefined)
    throw new BridgeError(`send-test proves one route, and there are ${config.routes.length}.`, {
      hint: `Pick one with --route: ${config.routes.map((r) => r.number).join(", ")} (or a channel id).`,
      exitCode: 2,
    });
  const [route] = selectRoutes(
    config.routes,
    pick,
    (r) => ({ number: r.number, channel: r.channel }),
    config.phone.defaultCountry,
  );
  config.twilio.phoneNumber = route!.number;
  if (route!.channel) config.front.channelId = route!.channel;
  if (route!.inbox) config.front.inboxId = route!.inbox;
}
