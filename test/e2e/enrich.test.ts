import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, startCli, type RunningCli } from "../helpers/cli.js";
import { eventually, freePort } from "../helpers/net.js";
import { startStandIns, type StandIns } from "../helpers/stand-ins.js";

const CUSTOMER = "+14155550123";

describe("MMS, caller names, opt-out and status (the built binary)", () => {
  let s: StandIns;
  let env: Record<string, string>;
  let bridge: RunningCli;
  let publicUrl: string;

  beforeEach(async () => {
    s = await startStandIns();
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    env = {
      ...s.env,
      FRONT_API_TOKEN: s.front.token,
      FRONT_CHANNEL_ID: "cha_sms",
      FRONT_TWILIO_WEBHOOK_TOKEN: "enrich-token-0123456789abcdef012",
      TWILIO_ACCOUNT_SID: s.twilio.accountSid,
      TWILIO_AUTH_TOKEN: s.twilio.authToken,
      TWILIO_PHONE_NUMBER: "+14155550100",
      FRONT_TWILIO_DATA_DIR: `${s.configDir}/data`,
      FRONT_TWILIO_PUBLIC_URL: publicUrl,
      FRONT_TWILIO_CALLER_NAME: "true",
      PORT: String(port),
      FRONT_TWILIO_HOST: "127.0.0.1",
    };
    s.twilio.numbers[0]!.sms_url = `${publicUrl}/twilio/sms`;
    s.front.channels.get("cha_sms")!.settings.webhook_url =
      `${publicUrl}/front/enrich-token-0123456789abcdef012`;
    bridge = startCli(["serve"], env);
    await bridge.waitForOutput(/Press Ctrl\+C/);
  });
  afterEach(async () => {
    bridge.child.kill("SIGTERM");
    await bridge.exited;
    expect(await s.close()).toEqual([]);
  });

  it("carries an MMS with a caller name, refuses replies after STOP, and reports it all in status", async () => {
    s.twilio.callerNames.set(CUSTOMER, "JANE DOE");
    const sid = `MM${"f".repeat(32)}`;
    const gif = Buffer.from("474946383961010001000000002c00000000010001000002", "hex");
    await s.twilio.sendInboundSms({
      from: CUSTOMER,
      body: "a picture",
      messageSid: sid,
      media: [{ url: s.twilio.addMedia(sid, "image/gif", gif), contentType: "image/gif" }],
    });
    await eventually(() => s.front.incoming.length === 1);
    expect(s.front.incoming[0]!.message.sender).toEqual({ handle: CUSTOMER, name: "JANE DOE" });
    expect(s.front.incoming[0]!.attachments[0]!.bytes.equals(gif)).toBe(true);

    await s.twilio.sendInboundSms({ from: CUSTOMER, body: "STOP" });
    await eventually(() => s.front.incoming.length === 2);
    const refused = await s.front.sendAgentMessage({ to: CUSTOMER, text: "are you sure?" });
    expect(refused.status).toBe(400);
    expect(s.twilio.requests.filter((r) => r.path.endsWith("/Messages.json"))).toHaveLength(0);

    const status = await runCli(["status"], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Customer messages received\s+2\b/);
    expect(status.stdout).toMatch(/Delivered to Front\s+2\b/);
    expect(status.stdout).toMatch(/Opt-outs \/ opt-ins\s+1\s+\(stop: 1\)/);
    expect(status.stdout).toMatch(/Caller-name lookups\s+2\s+\(found: 1, cached: 1\)/);
    expect(s.twilio.requests.filter((r) => r.path.startsWith("/v2/PhoneNumbers/"))).toHaveLength(1);
  });
});
