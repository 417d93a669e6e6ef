import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFrontStandIn, type FrontStandIn } from "../../src/stand-ins/front-stand-in.js";
import { startTwilioStandIn, type TwilioStandIn } from "../../src/stand-ins/twilio-stand-in.js";
import { cleanEnv, runCli, startCli, tempDir } from "../helpers/cli.js";
import { contractValidators } from "../helpers/contract.js";
import { eventually, freePort } from "../helpers/net.js";

const CUSTOMER = "+14155550123";
const APP = { uid: "app_e2e", secret: "app-secret-e2e", channelId: "cha_app_e2e" };

describe("application channel mode (the built binary): init, serve, doctor", () => {
  let front: FrontStandIn;
  let twilio: TwilioStandIn;
  let env: Record<string, string>;
  let publicUrl: string;
  let port: number;

  beforeEach(async () => {
    const contract = await contractValidators();
    front = await startFrontStandIn({ validate: contract.front, app: APP });
    twilio = await startTwilioStandIn({ validate: contract.twilio });
    port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    const dir = tempDir();
    env = cleanEnv({
      FRONT_TWILIO_CONFIG_DIR: dir,
      FRONT_TWILIO_DATA_DIR: `${dir}/data`,
      FRONT_API_URL: front.url,
      TWILIO_API_URL: twilio.url,
      FRONT_TWILIO_HOST: "127.0.0.1",
      PORT: String(port),
    });
  });
  afterEach(async () => {
    await front.close();
    await twilio.close();
    expect(front.violations).toEqual([]);
    expect(twilio.violations).toEqual([]);
  });

  const init = (extra: string[] = []) =>
    runCli(
      [
        "init",
        "--no-interactive",
        "--front-mode",
        "application",
        "--front-app-uid",
        APP.uid,
        "--front-app-secret",
        APP.secret,
        "--twilio-account-sid",
        twilio.accountSid,
        "--twilio-auth-token",
        twilio.authToken,
        "--twilio-number",
        "+14155550100",
        "--public-url",
        publicUrl,
        ...extra,
      ],
      env,
    );

  it("init points the number, prints the server URL for the Front app, and proves the app once the channel is known", async () => {
    const first = await init();
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(
        `Front app server URL \\(enter it in the app's settings in Front\\): ${publicUrl}/front/••••`,
      ),
    );
    expect(first.stdout).toContain(
      "The App UID and secret are proven when Front connects the channel",
    );
    expect(twilio.numbers[0]!.sms_url).toBe(`${publicUrl}/twilio/sms`);

    const proven = await init(["--front-channel", APP.channelId]);
    expect(proven.code).toBe(0);
    expect(proven.stdout).toContain(`✔ Front app ${APP.uid} works for channel ${APP.channelId}`);
    expect(front.app!.channelStatus).toEqual(["ok"]);
    const wrong = await runCli(
      ["init", "--no-interactive", "--front-app-secret", "wrong-secret"],
      env,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      `Front refused the app's credentials for channel ${APP.channelId}`,
    );
  });

  it("serve: the authorization handshake, an SMS into the channel, a reply out; doctor passes", async () => {
    expect((await init()).code).toBe(0);
    const bridge = startCli(["serve"], env);
    try {
      await bridge.waitForOutput(/Press Ctrl\+C/);
      // The banner masks the path token; the user reads it in full from `config get`.
      const token = (await runCli(["config", "get", "front.webhookToken"], env)).stdout.trim();
      expect(token).toMatch(/^[\w-]{22}$/);
      expect(bridge.output()).toContain(
        `Front server URL   ${publicUrl}/front/••••${token.slice(-4)}  (enter it`,
      );
      expect(bridge.output()).not.toContain(token);
      const authorized = await front.authorize(`${publicUrl}/front/${token}`);
      expect(authorized).toEqual({
        status: 200,
        body: { type: "success", webhook_url: `${publicUrl}/front/${token}` },
      });

      twilio.numbers[0]!.sms_url = `${publicUrl}/twilio/sms`;
      await twilio.sendInboundSms({ from: CUSTOMER, body: "via the app channel" });
      await eventually(() => front.app!.inbound.length === 1);
      expect(front.app!.inbound[0]!.message).toMatchObject({
        sender: { handle: CUSTOMER },
        body: "via the app channel",
      });

      const reply = await front.sendAppEvent("message", {
        id: "msg_e2e",
        recipients: [{ handle: CUSTOMER, role: "to" }],
        text: "answered",
        _links: { related: { conversation: `${front.url}/conversations/cnv_e2e` } },
      });
      expect(reply).toEqual({
        status: 200,
        body: {
          type: "success",
          external_id: `msg_e2e:${CUSTOMER}`,
          external_conversation_id: `sms:${CUSTOMER}:+14155550100`,
        },
      });
      expect(twilio.messages.map((m) => m.body)).toEqual(["answered"]);

      const doctor = await runCli(["doctor", "--json"], env);
      const report = JSON.parse(doctor.stdout) as {
        ok: boolean;
        checks: { name: string; status: string }[];
      };
      expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
      expect(report.checks.map((c) => c.name)).toContain("Front app credentials");
      expect(doctor.code).toBe(0);
    } finally {
      bridge.child.kill("SIGTERM");
      await bridge.exited;
    }
  });
});
