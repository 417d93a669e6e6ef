import { existsSync, readFileSync, statSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createContext } from "../../src/commands/context.js";
import { init } from "../../src/commands/init/init.js";
import { scriptedPrompter } from "../helpers/scripted-prompter.js";
import { startStandIns, type StandIns } from "../helpers/stand-ins.js";
import { capture } from "../helpers/capture.js";

describe("init, interactive (scripted prompter)", () => {
  let s: StandIns;
  beforeEach(async () => {
    s = await startStandIns();
  });
  afterEach(async () => {
    const violations = await s.close();
    expect(violations).toEqual([]);
  });

  const answers = () => ({
    "front.mode": "custom",
    "front.apiToken": s.front.token,
    "front.channelId": "cha_sms",
    "front.webhookSecret": "",
    "twilio.accountSid": s.twilio.accountSid,
    "twilio.authToken": s.twilio.authToken,
    "twilio.phoneNumber": "+14155550100",
    "bridge.where": "public",
    "bridge.publicUrl": "https://sms.acme.example",
  });

  async function runInit(
    script: Record<string, string | boolean | (string | boolean)[]>,
    cancelAt?: string,
  ) {
    const out = capture();
    const err = capture();
    const context = createContext({ env: s.env, stdout: out.stream, stderr: err.stream });
    const { prompter, asked } = scriptedPrompter(script, cancelAt ? { cancelAt } : {});
    const code = await init({ interactive: true, flags: {} }, context, { prompter });
    return { code, out: out.text(), err: err.text(), asked, path: context.configStore().path };
  }

  it("asks again for a credential the vendor refused, with the vendor's reason", async () => {
    const run = await runInit({
      ...answers(),
      "front.apiToken": ["not-a-token", s.front.token],
      "twilio.authToken": ["wrong-auth-token", s.twilio.authToken],
    });
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/! Front rejected the API token \(.+\)\. Enter another token\./);
    expect(run.out).toMatch(/! Twilio rejected the credentials \(.+\)\. Enter them again\./);
    expect(run.asked.filter((q) => q.name === "front.apiToken")).toHaveLength(2);
    expect(run.asked.filter((q) => q.name === "twilio.authToken")).toHaveLength(2);
    const saved = JSON.parse(readFileSync(run.path, "utf8")) as {
      front: { apiToken: string };
      twilio: { authToken: string };
    };
    expect(saved.front.apiToken).toBe(s.front.token);
    expect(saved.twilio.authToken).toBe(s.twilio.authToken);
  });

  it("asks, checks, points both sides at the bridge and saves the config", async () => {
    const run = await runInit(answers());
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.asked.map((q) => q.name)).toEqual(Object.keys(answers()));
    expect(run.asked.find((q) => q.name === "front.channelId")!.choices).toEqual([
      { name: "SMS (cha_sms)", value: "cha_sms" },
    ]);
    expect(run.out).toContain("✔ Front token works for Acme Support");
    expect(run.out).toContain(
      "✔ Front channel SMS (cha_sms, custom) in inbox SMS Inbox (inb_support)",
    );
    expect(run.out).toContain(
      "Twilio +14155550100 SMS URL: https://demo.twilio.com/welcome/sms/reply → https://sms.acme.example/twilio/sms (POST)",
    );
    expect(run.out).toContain("Next:\n  1. front-twilio serve  # on the host that");
    expect(run.out).toContain("3. front-twilio send-test --to <your mobile>");
    expect(s.twilio.numbers[0]).toMatchObject({
      sms_url: "https://sms.acme.example/twilio/sms",
      sms_method: "POST",
    });
    const saved = JSON.parse(readFileSync(run.path, "utf8")) as { front: { webhookToken: string } };
    expect(s.front.channels.get("cha_sms")!.settings.webhook_url).toBe(
      `https://sms.acme.example/front/${saved.front.webhookToken}`,
    );
    expect(saved).toMatchObject({
      front: { mode: "custom", apiToken: s.front.token },
      twilio: { accountSid: s.twilio.accountSid, authToken: s.twilio.authToken },
      // The number, channel and inbox are saved as a route (init adds or updates one).
      routes: [{ number: "+14155550100", channel: "cha_sms", inbox: "inb_support" }],
      bridge: { publicUrl: "https://sms.acme.example" },
    });
    expect((saved as { twilio?: object }).twilio).not.toHaveProperty("phoneNumber");
    expect(saved.front.webhookToken).toMatch(/^[\w-]{22}$/);
    expect(statSync(run.path).mode & 0o777).toBe(0o600);
    expect(run.out).not.toContain(s.front.token);
    expect(run.out).not.toContain(saved.front.webhookToken);
  });

  it("re-run: shows the saved values as defaults, keeps secrets on Enter, changes nothing", async () => {
    await runInit(answers());
    const before = readFileSync(`${s.configDir}/config.json`, "utf8");
    const requestsBefore = s.front.requests.filter((r) => r.method === "PATCH").length;
    const rerun = await runInit({
      ...answers(),
      "front.apiToken": "",
      "twilio.authToken": "",
      "twilio.accountSid": "",
      "bridge.publicUrl": "",
    });
    expect(rerun.code).toBe(0);
    expect(rerun.asked.find((q) => q.name === "twilio.accountSid")!.default).toBe(
      s.twilio.accountSid,
    );
    expect(rerun.asked.find((q) => q.name === "front.apiToken")!.message).toMatch(
      /Enter keeps ••••/,
    );
    expect(rerun.out).toContain("SMS URL already https://sms.acme.example/twilio/sms");
    expect(rerun.out).toMatch(/webhook URL already https:\/\/sms\.acme\.example\/front\/••••/);
    expect(s.front.requests.filter((r) => r.method === "PATCH").length).toBe(requestsBefore);
    expect(JSON.parse(readFileSync(`${s.configDir}/config.json`, "utf8"))).toEqual(
      JSON.parse(before),
    );
  });

  it("Ctrl+C at a prompt prints Cancelled and writes nothing", async () => {
    const run = await runInit(answers(), "twilio.authToken");
    expect(run.code).toBe(130);
    expect(run.err).toBe("Cancelled. Nothing was changed.\n");
    expect(existsSync(run.path)).toBe(false);
    expect(s.twilio.numbers[0]!.sms_url).toBe("https://demo.twilio.com/welcome/sms/reply");
    expect(s.front.requests.filter((r) => r.method === "PATCH")).toHaveLength(0);
  });

  it("offers to fix a Messaging Service that would take the number's inbound SMS", async () => {
    s.twilio.services.push({
      sid: `MG${"1".repeat(32)}`,
      friendly_name: "Marketing",
      use_inbound_webhook_on_number: false,
      inbound_request_url: "https://other.example/inbound",
      senders: [s.twilio.numbers[0]!.sid],
    });
    const run = await runInit({ ...answers(), "fix.messaging-service": true });
    expect(run.code).toBe(0);
    expect(run.asked.find((q) => q.name === "fix.messaging-service")!.message).toContain(
      'Messaging Service "Marketing"',
    );
    expect(s.twilio.services[0]!.use_inbound_webhook_on_number).toBe(true);
  });

  it("the dev-tunnel choice saves no public URL and points nothing", async () => {
    const run = await runInit({ ...answers(), "bridge.where": "tunnel" });
    expect(run.code).toBe(0);
    expect(run.out).toContain("1. front-twilio serve --tunnel");
    expect(run.out).toContain("2. front-twilio send-test --via-bridge --to <your mobile>");
    expect(s.twilio.numbers[0]!.sms_url).toBe("https://demo.twilio.com/welcome/sms/reply");
    expect(
      (JSON.parse(readFileSync(run.path, "utf8")) as { bridge?: unknown }).bridge,
    ).toBeUndefined();
  });
});
