import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import chalk from "chalk";
import { createBridge, type Bridge } from "../app.js";
import type { HttpResponse } from "../http/http.js";
import { startHttpServer } from "../http/server.js";
import { createCliLogger } from "../log.js";
import { startFrontStandIn } from "../stand-ins/front-stand-in.js";
import { startTwilioStandIn } from "../stand-ins/twilio-stand-in.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import type { CommandContext } from "./context.js";

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
  const dataDir = mkdtempSync(join(tmpdir(), "front-twilio-demo-"));
  const front = await startFrontStandIn({ channel: { id: "cha_demo", name: "SMS (demo)" } });
  const twilio = await startTwilioStandIn();
  const store = openSqliteStore(dataDir);
  const logger = createCliLogger({ stdout: context.stdout, stderr: context.stderr });
  let bridge: Bridge | undefined;
  const server = await startHttpServer((req): Promise<HttpResponse> => bridge!.handle(req), {
    host: "127.0.0.1",
    port: options.port ?? 0,
    logger,
  });
  try {
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
          phoneNumber: twilio.numbers[0]!.phone_number,
          baseUrl: twilio.url,
        },
        publicUrl: server.url,
      },
      store,
      logger,
    });
    twilio.numbers[0]!.sms_url = `${server.url}/twilio/sms`;
    front.channels.get("cha_demo")!.settings.webhook_url = `${server.url}/front/${TOKEN}`;
    bridge.start();
    out(
      chalk.green(
        `✔ Demo bridge on ${server.url}, between a Front stand-in (${front.url}) and a Twilio stand-in (${twilio.url})`,
      ),
    );

    step(`1. A customer (${CUSTOMER}) texts the Twilio number ${twilio.numbers[0]!.phone_number}`);
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
    const status = await twilio.sendStatus(sent!.sid, "delivered");
    out(`   Twilio → POST /twilio/status (signed) → bridge answered ${status.status}`);

    const ok = front.incoming.length === 1 && twilio.messages.length === 1 && reply.status === 200;
    out(
      ok
        ? chalk.green("\n✔ Round trip complete: SMS → Front → SMS.")
        : chalk.red("\n✖ The round trip did not complete."),
    );
    if (options.keep) {
      out(chalk.bold("\nStill running. In another terminal, try:"));
      out(
        `  export FRONT_TWILIO_PUBLIC_URL=${server.url} TWILIO_AUTH_TOKEN=${twilio.authToken} \\`,
      );
      out(
        `    TWILIO_PHONE_NUMBER=${twilio.numbers[0]!.phone_number} FRONT_TWILIO_WEBHOOK_TOKEN=${TOKEN}`,
      );
      out(`  front-twilio simulate sms --from ${CUSTOMER} --body "Hello again"`);
      out(`  front-twilio simulate reply --to ${CUSTOMER} --body "Hi, how can we help?"`);
      out(chalk.dim("(the demo stand-ins' own made-up credentials) Press Ctrl+C to stop."));
      await (options.stopSignal ?? interrupted());
    } else {
      out(
        "Next: run the bridge for real with `front-twilio serve` (see the README for the Front and Twilio setup).",
      );
    }
    return ok ? 0 : 1;
  } finally {
    await server.close();
    await bridge?.stop();
    await store.close();
    await front.close();
    await twilio.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}
