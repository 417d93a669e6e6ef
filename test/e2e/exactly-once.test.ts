import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFrontStandIn, type FrontStandIn } from "../../src/stand-ins/front-stand-in.js";
import type { RecordedRequest } from "../../src/stand-ins/stand-in.js";
import { startTwilioStandIn, type TwilioStandIn } from "../../src/stand-ins/twilio-stand-in.js";
import { standInCliEnv, startCli, stopAll, type RunningCli } from "../helpers/cli.js";
import { contractValidators } from "../helpers/contract.js";
import { freePort } from "../helpers/net.js";

const CUSTOMER = "+14155550123";
const TOKEN = "e2e-exactly-once-token-0123456789ab";
const isSend = (r: RecordedRequest) => r.method === "POST" && r.path.endsWith("/Messages.json");

describe("kill -9 while Twilio is slow to answer (the built binary)", () => {
  let front: FrontStandIn;
  let twilio: TwilioStandIn;
  let env: Record<string, string>;
  let port: number;
  const running: RunningCli[] = [];

  beforeEach(async () => {
    const contract = await contractValidators();
    port = await freePort();
    front = await startFrontStandIn({
      validate: contract.front,
      channel: { id: "cha_e2e", webhookUrl: `http://127.0.0.1:${port}/front/${TOKEN}` },
    });
    twilio = await startTwilioStandIn({
      validate: contract.twilio,
      smsUrl: `http://127.0.0.1:${port}/twilio/sms`,
    });
    env = standInCliEnv(front, twilio, {
      FRONT_CHANNEL_ID: "cha_e2e",
      FRONT_TWILIO_WEBHOOK_TOKEN: TOKEN,
      TWILIO_PHONE_NUMBER: "+14155550100",
      FRONT_TWILIO_RETRY_BASE_MS: "50",
      FRONT_TWILIO_SEND_DEADLINE_MS: "300",
      // Twilio below takes 4 s; the bridge must not take "not listed yet" for "absent" before.
      FRONT_TWILIO_DOUBT_MS: "8000",
    });
  });

  afterEach(async () => {
    expect(await stopAll(running, front, twilio)).toEqual([]);
  });

  async function serve(): Promise<RunningCli> {
    const cli = startCli(["serve", "--port", String(port), "--host", "127.0.0.1"], {
      ...env,
      FRONT_TWILIO_PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    running.push(cli);
    await cli.waitForOutput(/Press Ctrl\+C to stop/);
    return cli;
  }

  it("sends the reply once: Twilio created it after the kill, and the restarted bridge finds it", async () => {
    // Twilio takes the request at once but creates the message and answers 4 s later.
    twilio.fail(isSend, { delayMs: 4_000 });
    const first = await serve();
    const reply = await front.sendAgentMessage({
      to: CUSTOMER,
      text: "slow but once",
      messageId: "msg_slow",
    });
    expect(reply).toEqual({ status: 200, body: { type: "success" } });
    await twilio.waitFor(isSend);
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await serve();
    await second.waitForOutput(/found after an interrupted send/, 20_000);
    expect(twilio.messages.map((m) => m.body)).toEqual(["slow but once"]);
    expect(twilio.requests.filter(isSend)).toHaveLength(1);
    // Front's retry of the same message is recognised too.
    const again = await front.sendAgentMessage({
      to: CUSTOMER,
      text: "slow but once",
      messageId: "msg_slow",
    });
    expect(again.status).toBe(200);
    expect(twilio.requests.filter(isSend)).toHaveLength(1);
  }, 60_000);
});
