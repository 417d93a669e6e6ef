import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTunnelStandIn, type TunnelStandIn } from "../helpers/tunnel-stand-in.js";
import { startCli, type RunningCli } from "../helpers/cli.js";
import { eventually } from "../helpers/net.js";
import { startStandIns, type StandIns } from "../helpers/stand-ins.js";

const CUSTOMER = "+14155550123";
const TOKEN = "tunnel-webhook-token-0123456789ab";
const ORIGINAL_SMS_URL = "https://demo.twilio.com/welcome/sms/reply";
const ORIGINAL_FRONT_URL = "https://old.example.com/front/hook";

describe("front-twilio serve --tunnel (the built binary) with a localtunnel-compatible server", () => {
  let s: StandIns;
  let tunnels: TunnelStandIn;
  let bridge: RunningCli | undefined;
  let env: Record<string, string>;

  beforeEach(async () => {
    s = await startStandIns();
    tunnels = await startTunnelStandIn();
    s.front.channels.get("cha_sms")!.settings.webhook_url = ORIGINAL_FRONT_URL;
    env = {
      ...s.env,
      FRONT_API_TOKEN: s.front.token,
      FRONT_CHANNEL_ID: "cha_sms",
      FRONT_TWILIO_WEBHOOK_TOKEN: TOKEN,
      TWILIO_ACCOUNT_SID: s.twilio.accountSid,
      TWILIO_AUTH_TOKEN: s.twilio.authToken,
      TWILIO_PHONE_NUMBER: "+14155550100",
      FRONT_TWILIO_DATA_DIR: `${s.configDir}/data`,
    };
  });
  afterEach(async () => {
    if (bridge && bridge.child.exitCode === null) bridge.child.kill("SIGKILL");
    await tunnels.close();
    expect(await s.close()).toEqual([]);
  });

  const frontUrl = () => s.front.channels.get("cha_sms")!.settings.webhook_url;
  const smsUrl = () => s.twilio.numbers[0]!.sms_url;

  it("points both sides at the tunnel, carries a signed SMS through it, re-points after a drop, restores on SIGINT", async () => {
    bridge = startCli(
      ["serve", "--tunnel", "--tunnel-host", tunnels.url, "--port", "0", "--host", "127.0.0.1"],
      env,
    );
    await bridge.waitForOutput(/Press Ctrl\+C/);
    const [id, first] = [...tunnels.tunnels.entries()][0]!;
    expect(smsUrl()).toBe(`${first.url}/twilio/sms`);
    expect(frontUrl()).toBe(`${first.url}/front/${TOKEN}`);
    expect(bridge.output()).toContain(`Twilio SMS URL     ${first.url}/twilio/sms`);
    await bridge.waitForOutput(/tunnel check: .*\/healthz reached this bridge/);

    // Twilio signs the tunnel URL; the bridge must accept it because it checks against that URL.
    const sent = await s.twilio.sendInboundSms({ from: CUSTOMER, body: "through the tunnel" });
    expect(sent.status).toBe(200);
    await s.front.waitFor((r) => r.path.endsWith("/incoming_messages"));
    expect(s.front.incoming[0]!.message).toMatchObject({ body: "through the tunnel" });
    const reply = await s.front.sendAgentMessage({
      to: CUSTOMER,
      text: "reply through the tunnel",
    });
    expect(reply).toEqual({ status: 200, body: { type: "success" } });

    // The tunnel server drops the tunnel: the bridge reopens one and re-points both sides.
    await tunnels.kill(id);
    await bridge.waitForOutput(/tunnel down/);
    await eventually(() => tunnels.tunnels.size === 1, 20_000);
    const [, second] = [...tunnels.tunnels.entries()][0]!;
    await eventually(
      () =>
        smsUrl() === `${second.url}/twilio/sms` && frontUrl() === `${second.url}/front/${TOKEN}`,
      20_000,
    );
    await bridge.waitForOutput(/The tunnel URL is now/);
    const again = await s.twilio.sendInboundSms({ from: CUSTOMER, body: "after the drop" });
    expect(again.status).toBe(200);
    await eventually(() => s.front.incoming.length === 2);

    bridge.child.kill("SIGINT");
    const result = await bridge.exited;
    expect(result.code).toBe(0);
    expect(smsUrl()).toBe(ORIGINAL_SMS_URL);
    expect(frontUrl()).toBe(ORIGINAL_FRONT_URL);
    expect(result.stdout).toContain(`SMS URL restored to ${ORIGINAL_SMS_URL}`);
  });

  it("restores the URLs of a run that was killed with -9, on the next run's exit", async () => {
    bridge = startCli(
      ["serve", "--tunnel", "--tunnel-host", tunnels.url, "--port", "0", "--host", "127.0.0.1"],
      env,
    );
    await bridge.waitForOutput(/Press Ctrl\+C/);
    bridge.child.kill("SIGKILL");
    await bridge.exited;
    expect(smsUrl()).not.toBe(ORIGINAL_SMS_URL);

    bridge = startCli(
      ["serve", "--tunnel", "--tunnel-host", tunnels.url, "--port", "0", "--host", "127.0.0.1"],
      env,
    );
    await bridge.waitForOutput(/Press Ctrl\+C/);
    bridge.child.kill("SIGTERM");
    const stopped = await bridge.exited;
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(0);
    expect(smsUrl()).toBe(ORIGINAL_SMS_URL);
    expect(frontUrl()).toBe(ORIGINAL_FRONT_URL);
  });
});
