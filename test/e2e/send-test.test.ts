import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli.js";
import { eventually, freePort } from "../helpers/net.js";
import { startStandIns, type StandIns } from "../helpers/stand-ins.js";

const CUSTOMER = "+14155550123";

describe("front-twilio send-test (the built binary)", () => {
  let s: StandIns;
  let env: Record<string, string>;
  beforeEach(async () => {
    s = await startStandIns();
    env = {
      ...s.env,
      FRONT_API_TOKEN: s.front.token,
      FRONT_CHANNEL_ID: "cha_sms",
      TWILIO_ACCOUNT_SID: s.twilio.accountSid,
      TWILIO_AUTH_TOKEN: s.twilio.authToken,
      TWILIO_PHONE_NUMBER: "+14155550100",
      FRONT_TWILIO_POLL_MS: "20",
    };
  });
  afterEach(async () => {
    expect(await s.close()).toEqual([]);
  });

  it("exits 0 once Twilio reports the message delivered", async () => {
    s.twilio.settleTo(CUSTOMER, "delivered");
    const result = await runCli(["send-test", "--to", "(415) 555-0123", "--body", "ping"], {
      ...env,
      FRONT_TWILIO_DEFAULT_COUNTRY: "US",
    });
    expect(result.stdout).toMatch(/✔ Delivered to \+14155550123 \(SM\w{32}\)/);
    expect(result.code).toBe(0);
    expect(s.twilio.messages[0]).toMatchObject({
      to: CUSTOMER,
      from: "+14155550100",
      body: "ping",
    });
  });

  it("exits 1 and explains the error code when the message is undelivered", async () => {
    s.twilio.settleTo(CUSTOMER, "undelivered", 30003);
    const result = await runCli(["send-test", "--to", CUSTOMER], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "✖ Not delivered (undelivered): the customer's phone is unreachable (switched off or out of coverage) (Twilio 30003)",
    );
  });

  it("exits 1 and explains a refusal by Twilio", async () => {
    s.twilio.rejectTo(CUSTOMER, {
      status: 400,
      code: 21408,
      message: "Permission to send an SMS has not been enabled for the region",
    });
    const result = await runCli(["send-test", "--to", CUSTOMER], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "Twilio refused the message: sending to this country is not enabled on the Twilio account (Geo Permissions) (Twilio 21408)",
    );
  });

  it("exits 3 when delivery is not proven in time, and 2 for a bad --to", async () => {
    const slow = await runCli(["send-test", "--to", CUSTOMER, "--timeout", "1"], env);
    expect(slow.code).toBe(3);
    expect(slow.stdout).toContain("Delivery not proven within 1s: Twilio still reports it queued");
    const bad = await runCli(["send-test", "--to", "hello?"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--to hello?: it is not a valid phone number");
  });

  it("follows Twilio's status callbacks through a running bridge (and polls meanwhile)", async () => {
    const port = await freePort();
    const bridgeEnv = {
      ...env,
      FRONT_TWILIO_DATA_DIR: `${s.configDir}/data`,
      FRONT_TWILIO_PUBLIC_URL: `http://127.0.0.1:${port}`,
      PORT: String(port),
      FRONT_TWILIO_HOST: "127.0.0.1",
    };
    const bridge = startCli(["serve"], bridgeEnv);
    try {
      await bridge.waitForOutput(/Press Ctrl\+C/);
      const test = startCli(["send-test", "--to", CUSTOMER, "--timeout", "20"], bridgeEnv);
      await eventually(() => s.twilio.messages.length === 1);
      expect(s.twilio.messages[0]!.statusCallback).toBe(`http://127.0.0.1:${port}/twilio/status`);
      expect((await s.twilio.sendStatus(s.twilio.messages[0]!.sid, "sent")).status).toBe(204);
      expect(
        (await s.twilio.sendStatus(s.twilio.messages[0]!.sid, "undelivered", 30005)).status,
      ).toBe(204);
      const result = await test.exited;
      expect(result.stdout).toContain(
        "✖ Not delivered (undelivered): the customer's number does not exist or is no longer in service (Twilio 30005)",
      );
      expect(result.code).toBe(1);
      expect(s.front.comments).toHaveLength(0);
    } finally {
      bridge.child.kill("SIGTERM");
      await bridge.exited;
    }
  });

  it("finishes by polling when the bridge is running but no callback ever comes", async () => {
    const port = await freePort();
    const bridgeEnv = {
      ...env,
      FRONT_TWILIO_DATA_DIR: `${s.configDir}/data`,
      FRONT_TWILIO_PUBLIC_URL: `http://127.0.0.1:${port}`,
      PORT: String(port),
      FRONT_TWILIO_HOST: "127.0.0.1",
    };
    const bridge = startCli(["serve"], bridgeEnv);
    try {
      await bridge.waitForOutput(/Press Ctrl\+C/);
      s.twilio.settleTo(CUSTOMER, "delivered");
      const result = await runCli(["send-test", "--to", CUSTOMER, "--timeout", "20"], bridgeEnv);
      expect(result.stdout).toMatch(/✔ Delivered to \+14155550123/);
      expect(result.code).toBe(0);
    } finally {
      bridge.child.kill("SIGTERM");
      await bridge.exited;
    }
  });

  it("--inbound posts into the Front channel and reports the conversation", async () => {
    const result = await runCli(["send-test", "--inbound", "--to", CUSTOMER], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✔ Front accepted it and filed it in conversation cnv_\w+/);
    expect(s.front.incoming[0]!.message).toMatchObject({
      sender: { handle: CUSTOMER },
      metadata: { thread_ref: `sms:${CUSTOMER}:+14155550100` },
    });
  });

  it("--via-bridge sends a signed webhook through the running bridge and confirms it reached Front", async () => {
    const port = await freePort();
    const bridgeEnv = {
      ...env,
      FRONT_TWILIO_PUBLIC_URL: `http://127.0.0.1:${port}`,
      PORT: String(port),
      FRONT_TWILIO_HOST: "127.0.0.1",
    };
    const bridge = startCli(["serve"], bridgeEnv);
    try {
      await bridge.waitForOutput(/Press Ctrl\+C/);
      const result = await runCli(
        ["send-test", "--via-bridge", "--to", CUSTOMER, "--body", "through the bridge"],
        bridgeEnv,
      );
      expect(result.stdout).toMatch(/✔ The bridge delivered it to Front \(SM\w{32}\)/);
      expect(result.code).toBe(0);
      expect(s.front.incoming.map((m) => m.message.body)).toEqual(["through the bridge"]);
    } finally {
      bridge.child.kill("SIGTERM");
      await bridge.exited;
    }
  });
});
