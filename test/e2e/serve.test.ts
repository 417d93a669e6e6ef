import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFrontStandIn, type FrontStandIn } from "../../src/stand-ins/front-stand-in.js";
import { startTwilioStandIn, type TwilioStandIn } from "../../src/stand-ins/twilio-stand-in.js";
import { runCli, standInCliEnv, startCli, stopAll, type RunningCli } from "../helpers/cli.js";
import { contractValidators } from "../helpers/contract.js";
import { eventually, freePort } from "../helpers/net.js";

const CUSTOMER = "+14155550123";
const TOKEN = "e2e-webhook-token-0123456789abcdef";

describe("front-twilio serve (the built binary) against the stand-ins", () => {
  let front: FrontStandIn;
  let twilio: TwilioStandIn;
  let env: Record<string, string>;
  let port: number;
  const running: RunningCli[] = [];

  beforeEach(async () => {
    const contract = await contractValidators();
    port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    front = await startFrontStandIn({
      validate: contract.front,
      channel: { id: "cha_e2e", webhookUrl: `${publicUrl}/front/${TOKEN}` },
    });
    twilio = await startTwilioStandIn({
      validate: contract.twilio,
      smsUrl: `${publicUrl}/twilio/sms`,
    });
    env = standInCliEnv(front, twilio, {
      FRONT_CHANNEL_ID: "cha_e2e",
      FRONT_TWILIO_WEBHOOK_TOKEN: TOKEN,
      TWILIO_PHONE_NUMBER: "(415) 555-0100",
      FRONT_TWILIO_DEFAULT_COUNTRY: "US",
      FRONT_TWILIO_RETRY_BASE_MS: "50",
      FRONT_TWILIO_SEND_DEADLINE_MS: "500",
      // An interrupted send is resent once Twilio's list has shown it absent for this long.
      FRONT_TWILIO_DOUBT_MS: "2000",
    });
  });

  afterEach(async () => {
    expect(await stopAll(running, front, twilio)).toEqual([]);
  });

  async function serve(): Promise<RunningCli> {
    const cli = startCli(
      [
        "serve",
        "--port",
        String(port),
        "--host",
        "127.0.0.1",
        "--public-url",
        `http://127.0.0.1:${port}`,
      ],
      env,
    );
    running.push(cli);
    await cli.waitForOutput(/Press Ctrl\+C to stop/);
    return cli;
  }

  it("prints the Ready banner, carries messages both ways, and stops gracefully on SIGTERM", async () => {
    const cli = await serve();
    expect(cli.output()).toContain(`Twilio SMS URL     http://127.0.0.1:${port}/twilio/sms`);
    expect(cli.output()).toContain(
      `Front webhook URL  http://127.0.0.1:${port}/front/••••${TOKEN.slice(-4)}  (the custom`,
    );
    expect(cli.output()).toContain(
      "its token is secret: shown in full by `front-twilio config get front.webhookToken`",
    );
    expect(cli.output()).not.toContain(TOKEN);
    const shown = await runCli(["config", "get", "front.webhookToken"], env);
    expect(shown.stdout).toBe(`${TOKEN}\n`);
    expect(cli.output()).not.toContain(twilio.authToken);
    expect(cli.output()).not.toContain(front.token);

    const inbound = await twilio.sendInboundSms({
      from: CUSTOMER,
      body: "Is my order on its way?",
    });
    expect(inbound.status).toBe(200);
    await front.waitFor((r) => r.path === "/channels/cha_e2e/incoming_messages");
    expect(front.incoming[0]!.message).toMatchObject({
      sender: { handle: CUSTOMER },
      body: "Is my order on its way?",
    });
    await cli.waitForOutput(/--> sms \+1415…23 SM\w+ queued/);
    await cli.waitForOutput(/<-- front \+1415…23 SM\w+ delivered/);

    const reply = await front.sendAgentMessage({ to: CUSTOMER, text: "Yes, it ships today." });
    expect(reply).toEqual({ status: 200, body: { type: "success" } });
    // Sent within the deadline, or (on a loaded machine) just after it from the same attempt.
    await eventually(() => twilio.messages.length === 1);
    expect(twilio.messages).toMatchObject([
      { to: CUSTOMER, from: "+14155550100", body: "Yes, it ships today." },
    ]);

    cli.child.kill("SIGTERM");
    const result = await cli.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Stopped.");
  });

  it("delivers an acknowledged SMS exactly once after kill -9 during delivery and a restart", async () => {
    // Front takes the first delivery attempt and never answers, so the bridge is mid-delivery.
    front.fail((r) => r.path.endsWith("/incoming_messages"), { hang: true });
    const first = await serve();
    const inbound = await twilio.sendInboundSms({ from: CUSTOMER, body: "survive this" });
    expect(inbound.status).toBe(200); // acknowledged: from here on the bridge owns the message
    await front.waitFor((r) => r.path.endsWith("/incoming_messages"));
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    expect(front.incoming).toHaveLength(0);

    const second = await serve();
    await second.waitForOutput(/resuming 1 job\(s\) left unfinished/);
    await eventually(() => front.incoming.length === 1);
    // A late repeat of the same webhook after the restart is still recognised.
    await twilio.sendInboundSms({
      from: CUSTOMER,
      body: "survive this",
      messageSid: inbound.params.MessageSid as string,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(front.incoming.map((m) => m.message.body)).toEqual(["survive this"]);
  });

  it("sends an agent reply exactly once after kill -9 while Twilio was slow", async () => {
    twilio.fail((r) => r.path.endsWith("/Messages.json"), { hang: true });
    const first = await serve();
    const reply = await front.sendAgentMessage({
      to: CUSTOMER,
      text: "sent after a crash",
      messageId: "msg_crash",
    });
    expect(reply).toEqual({ status: 200, body: { type: "success" } });
    first.child.kill("SIGKILL");
    await first.exited;
    expect(twilio.messages).toHaveLength(0);

    await serve();
    await eventually(() => twilio.messages.length === 1);
    const again = await front.sendAgentMessage({
      to: CUSTOMER,
      text: "sent after a crash",
      messageId: "msg_crash",
    });
    expect(again.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(twilio.messages.map((m) => m.body)).toEqual(["sent after a crash"]);
  });
});
