import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import chalk from "chalk";
import { createBridge, type Bridge } from "../app.js";
import type { HttpResponse } from "../http/http.js";
import { startHttpServer } from "../http/server.js";
import { createCliLogger } from "../log.js";
import { stopRequested } from "../signals.js";
import { startFrontStandIn } from "../stand-ins/front-stand-in.js";
import { startTwilioStandIn } from "../stand-ins/twilio-stand-in.js";
import { openSqliteStore } from "../store/sqlite-open.js";
import { commandLogger, loadConfig, type CommandContext } from "./context.js";
import { keepInstructions } from "./demo-keep.js";

const CUSTOMER = "+14155550123";
const TOKEN = "demo-webhook-token";

/**
 * The whole bridge, no accounts needed: local stand-ins play Front and Twilio, the real bridge
 * runs between them on a throwaway store, and one SMS and one reply make the round trip.
 */
export interface DemoOptions {
  /** Leave everything running for `simulate` until Ctrl+C. */
  keep?: boolean;
  port?: number;
  stopSignal?: Promise<unknown>;
}

export async function demo(context: CommandContext, options: DemoOptions = {}): Promise<number> {
  const out = (line: string) => context.stdout.write(`${line}\n`);
  const step = (line: string) => out(chalk.bold(`\n${line}`));
  const logger = demoLogger(context);
  const dataDir = mkdtempSync(join(tmpdir(), "front-twilio-demo-"));
  // Everything started is closed again whatever fails, so a busy --port cannot leave it hanging.
  const closers: (() => unknown)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  let bridge: Bridge | undefined;
  try {
    const front = await startFrontStandIn({ channel: { id: "cha_demo", name: "SMS (demo)" } });
    closers.push(() => front.close());
    // Like Twilio, the stand-in posts signed status callbacks, so `send-test` can follow them.
    const twilio = await startTwilioStandIn({ statusCallbacks: true });
    closers.push(() => twilio.close());
    const store = openSqliteStore(dataDir);
    closers.push(() => store.close());
    const server = await startHttpServer((req): Promise<HttpResponse> => bridge!.handle(req), {
      host: "127.0.0.1",
      port: options.port ?? 0,
      logger,
    });
    closers.push(() => server.close());
    const number = twilio.numbers[0]!.phone_number;
    bridge = await createBridge({
      settings: {
        mode: "custom",
        front: {
          mode: "custom",
          apiToken: front.token,
          channelId: "cha_demo",
          webhookToken: TOKEN,
          baseUrl: front.url,
        },
        twilio: {
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          phoneNumber: number,
          baseUrl: twilio.url,
        },
        publicUrl: server.url,
      },
      store,
      logger,
    });
    closers.push(() => bridge?.stop());
    twilio.numbers[0]!.sms_url = `${server.url}/twilio/sms`;
    front.channels.get("cha_demo")!.settings.webhook_url = `${server.url}/front/${TOKEN}`;
    bridge.start();
    out(
      chalk.green(
        `✔ Demo bridge on ${server.url}, between a Front stand-in (${front.url}) and a Twilio stand-in (${twilio.url})`,
      ),
    );

    step(`1. A customer (${CUSTOMER}) texts the Twilio number ${number}`);
    const sms = await twilio.sendInboundSms({
      from: CUSTOMER,
      body: "Hi! Where is my order #1042?",
    });
    out(`   Twilio → POST /twilio/sms (signed) → bridge answered ${sms.status} with empty TwiML`);
    const [delivered] = await front.waitFor((r) => r.path.endsWith("/incoming_messages"));
    while ((await store.summary()).done < 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const message = delivered!.body as {
      sender: { handle: string };
      metadata: { thread_ref: string };
    };
    out(
      `   bridge → Front POST ${delivered!.path}: from ${message.sender.handle}, thread ${message.metadata.thread_ref}`,
    );

    step("2. An agent answers in the Front conversation");
    const reply = await front.sendAgentMessage({
      to: CUSTOMER,
      text: "It ships today, tracking to follow.",
    });
    out(
      `   Front → POST /front/<token> → bridge answered ${reply.status} ${JSON.stringify(reply.body)}`,
    );
    const sent = twilio.messages[0];
    out(
      `   bridge → Twilio Messages.create: To ${sent?.to}, From ${sent?.from}, "${sent?.body}" (${sent?.sid})`,
    );

    step("3. Twilio reports the reply delivered");
    const recorded = await statusRecorded(async () => (await store.findMessage(sent!.sid))?.status);
    out(
      recorded === "delivered"
        ? "   Twilio → POST /twilio/status (signed): sent, then delivered; the bridge recorded it"
        : `   (the bridge recorded ${recorded ?? "no status"} for the reply)`,
    );

    const ok =
      front.incoming.length === 1 &&
      twilio.messages.length === 1 &&
      reply.status === 200 &&
      recorded === "delivered";
    out(
      ok
        ? chalk.green("\n✔ Round trip complete: SMS → Front → SMS.")
        : chalk.red("\n✖ The round trip did not complete."),
    );
    if (options.keep) {
      const lines = keepInstructions({
        bridgeUrl: server.url,
        frontUrl: front.url,
        frontToken: front.token,
        channelId: "cha_demo",
        twilioUrl: twilio.url,
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        number,
        webhookToken: TOKEN,
        dataDir,
        customer: CUSTOMER,
      });
      for (const line of lines) out(line);
      await (options.stopSignal ?? stopRequested({ stderr: context.stderr }));
    } else {
      out(
        "Next: `front-twilio demo --keep` to drive it yourself, or `front-twilio init` to connect your own Front and Twilio accounts.",
      );
    }
    return ok ? 0 : 1;
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

/** The stand-in's callbacks arrive shortly after the send; waits up to 5 s for "delivered". */
async function statusRecorded(
  read: () => Promise<string | undefined>,
): Promise<string | undefined> {
  const deadline = Date.now() + 5_000;
  while ((await read()) !== "delivered" && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return read();
}

/** log.format and log.level apply to the demo too, but a broken config file must not stop it. */
function demoLogger(context: CommandContext) {
  try {
    return commandLogger(context, loadConfig(context).config);
  } catch {
    return createCliLogger({ stdout: context.stdout, stderr: context.stderr });
  }
}
