import { inboundKey } from "../../bridge/job-keys.js";
import { randomBytes } from "node:crypto";
import type { Clock } from "../../clock.js";
import { requireSettings } from "../../config/resolve.js";
import type { Config } from "../../config/schema.js";
import { UpstreamError, causeMessage } from "../../errors.js";
import { fetchBridge } from "../../live/bridge-request.js";
import { openExistingStore } from "../../store/open-store.js";
import { encodeForm } from "../../webhooks/form.js";
import { signTwilio } from "../../webhooks/twilio-signature.js";
import type { CommandContext } from "../context.js";
import { createProgress } from "./progress.js";
import { NOT_PROVEN, type Run } from "./run.js";

/** A signed Twilio-style webhook to the running bridge, followed until the bridge delivered it to Front. */
export async function viaBridge(
  run: Run,
  config: Config,
  context: CommandContext,
  clock: Clock,
  pollMs: number,
) {
  requireSettings(config, ["twilio.authToken", "twilio.phoneNumber", "bridge.publicUrl"], {
    name: "send-test --via-bridge",
    flags: [],
  });
  const url = `${config.bridge.publicUrl}/twilio/sms`;
  const sid = `SM${randomBytes(16).toString("hex")}`;
  const body = encodeForm({
    MessageSid: sid,
    SmsMessageSid: sid,
    SmsSid: sid,
    AccountSid: config.twilio.accountSid ?? "",
    From: run.to,
    To: config.twilio.phoneNumber!,
    Body: run.body ?? "Test message from front-twilio send-test --via-bridge",
    NumMedia: "0",
    NumSegments: "1",
    SmsStatus: "received",
    ApiVersion: "2010-04-01",
  });
  const progress = createProgress(context.stdout, `Posting a signed test webhook to ${url}`);
  const response = await fetchBridge(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": signTwilio(config.twilio.authToken!, url, body),
    },
    body,
    timeoutMs: 15_000,
  }).catch((error: unknown) => {
    throw new UpstreamError(`The bridge did not answer at ${url} (${causeMessage(error)}).`, {
      hint: "Start it with `front-twilio serve`, and check bridge.publicUrl (FRONT_TWILIO_PUBLIC_URL).",
    });
  });
  if (response.status !== 200) {
    progress.fail(
      `The bridge answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
    );
    return 1;
  }
  const store = await openExistingStore(config.bridge);
  if (!store) {
    progress.fail(
      `The bridge accepted it (${sid}); its store is not on this machine, so delivery to Front cannot be confirmed from here.`,
    );
    return NOT_PROVEN;
  }
  try {
    const deadline = clock.now() + run.timeoutMs;
    while (clock.now() < deadline) {
      const job = await store.getByKey(inboundKey(sid));
      if (job?.state === "done") {
        progress.succeed(`The bridge delivered it to Front (${sid})`);
        return 0;
      }
      if (job?.state === "dead") {
        progress.fail(
          `The bridge could not deliver it to Front: ${job.lastError ?? "unknown reason"}`,
        );
        return 1;
      }
      progress.update(
        `The bridge accepted it (${sid}); ${job ? `attempt ${job.attempts}${job.lastError ? `, last error: ${job.lastError}` : ""}` : "waiting"}`,
      );
      await clock.sleep(Math.min(pollMs, 500));
    }
  } finally {
    await store.close();
  }
  progress.fail(
    `The bridge accepted it (${sid}) but had not delivered it to Front within ${run.timeoutMs / 1000}s.`,
  );
  return NOT_PROVEN;
}
