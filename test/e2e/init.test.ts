import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startStandIns, type StandIns } from "../helpers/stand-ins.js";

describe("front-twilio init --no-interactive (the built binary)", () => {
  let s: StandIns;
  let configPath: string;
  const PREVIOUS = { front: { channelId: "cha_previous" }, bridge: { port: 4000 } };

  beforeEach(async () => {
    s = await startStandIns();
    configPath = join(s.configDir, "config.json");
  });
  afterEach(async () => {
    expect(await s.close()).toEqual([]);
  });

  const flags = (overrides: Record<string, string> = {}) => {
    const values: Record<string, string> = {
      "--front-token": s.front.token,
      "--front-channel": "cha_sms",
      "--twilio-account-sid": s.twilio.accountSid,
      "--twilio-auth-token": s.twilio.authToken,
      "--twilio-number": "+1 415-555-0100",
      "--public-url": "https://sms.acme.example",
      ...overrides,
    };
    return [
      "init",
      "--no-interactive",
      ...Object.entries(values).flatMap(([flag, value]) => [flag, value]),
    ];
  };

  it("checks everything, points the number and the channel at the bridge, saves 0600 config", async () => {
    const result = await runCli(flags({ "--front-inbox": "inb_support", "--port": "8080" }), s.env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const update = s.twilio.requests.find(
      (r) => r.method === "POST" && r.path.includes("/IncomingPhoneNumbers/"),
    );
    expect(update!.body).toEqual({
      SmsUrl: "https://sms.acme.example/twilio/sms",
      SmsMethod: "POST",
    });
    const patch = s.front.requests.find(
      (r) => r.method === "PATCH" && r.path === "/channels/cha_sms",
    );
    const saved = JSON.parse(readFileSync(configPath, "utf8")) as Record<
      string,
      Record<string, string>
    >;
    expect(patch!.body).toEqual({
      settings: { webhook_url: `https://sms.acme.example/front/${saved.front!.webhookToken}` },
    });
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    expect(saved).toEqual({
      front: { apiToken: s.front.token, webhookToken: saved.front!.webhookToken },
      twilio: { accountSid: s.twilio.accountSid, authToken: s.twilio.authToken },
      // init adds (or updates) a route: the number, channel and inbox it checked.
      routes: [{ number: "+14155550100", channel: "cha_sms", inbox: "inb_support" }],
      bridge: { publicUrl: "https://sms.acme.example", port: 8080 },
    });
    expect(result.stdout).toContain("Next:\n  1. front-twilio serve  # on the host that");
  });

  it("lists every missing flag and environment variable", async () => {
    const result = await runCli(["init", "--no-interactive", "--front-token", "x"], s.env);
    expect(result.code).toBe(1);
    for (const needed of [
      "--front-channel, FRONT_CHANNEL_ID",
      "--twilio-account-sid, TWILIO_ACCOUNT_SID",
      "--twilio-auth-token, TWILIO_AUTH_TOKEN",
      "--twilio-number, TWILIO_PHONE_NUMBER",
      "--public-url, FRONT_TWILIO_PUBLIC_URL",
    ]) {
      expect(result.stderr).toContain(needed);
    }
  });

  it("is non-interactive without a TTY even when not told", async () => {
    const result = await runCli(["init"], s.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("init --no-interactive needs settings that are missing");
  });

  it.each([
    [
      "a bad Front token",
      { "--front-token": "wrong" },
      /Front rejected the API token.*\n→ Create a Core API token/,
    ],
    ["an unknown channel", { "--front-channel": "cha_nope" }, /Front has no channel cha_nope/],
    [
      "an inbox that is not the channel's",
      { "--front-inbox": "inb_sales" },
      /Channel cha_sms belongs to inbox inb_support, not to inb_sales\.\n→ Use --front-inbox inb_support/,
    ],
    [
      "a number not on the account",
      { "--twilio-number": "+14155550199" },
      /\+14155550199 is not a phone number on this Twilio account/,
    ],
    [
      "wrong Twilio credentials",
      { "--twilio-auth-token": "wrong" },
      /Twilio rejected the credentials/,
    ],
    [
      "an http public URL",
      { "--public-url": "http://sms.acme.example" },
      /Invalid bridge\.publicUrl "http:\/\/sms\.acme\.example" from --public-url: expected an https:\/\/ URL/,
    ],
    [
      "an invalid number",
      { "--twilio-number": "+1555" },
      /Invalid twilio\.phoneNumber "\+1555" from --twilio-number: expected a phone number in E\.164/,
    ],
  ])(
    "refuses %s with a clear message and leaves the config untouched",
    async (_name, overrides, message) => {
      writeFileSync(configPath, JSON.stringify(PREVIOUS), { mode: 0o600 });
      const result = await runCli(flags(overrides), s.env);
      // A malformed flag value is a usage error (2); a value the vendor refuses is a failure (1).
      expect(result.code).toBe(/from --/.test(result.stderr) ? 2 : 1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
      expect(JSON.parse(readFileSync(configPath, "utf8"))).toEqual(PREVIOUS);
      expect(s.twilio.numbers[0]!.sms_url).toBe("https://demo.twilio.com/welcome/sms/reply");
      expect(s.front.requests.filter((r) => r.method === "PATCH")).toHaveLength(0);
    },
  );

  it("refuses a Messaging Service that overrides the number's SMS URL, and fixes it with --fix", async () => {
    s.twilio.services.push({
      sid: `MG${"2".repeat(32)}`,
      friendly_name: "Support",
      use_inbound_webhook_on_number: false,
      inbound_request_url: "https://studio.example/flow",
      senders: [s.twilio.numbers[0]!.sid],
    });
    writeFileSync(configPath, JSON.stringify(PREVIOUS), { mode: 0o600 });
    const refused = await runCli(flags(), s.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is in the Messaging Service "Support"');
    expect(refused.stderr).toContain(
      "→ Re-run with --fix to set the service's integration to \"Defer to sender's webhook\"",
    );
    expect(JSON.parse(readFileSync(configPath, "utf8"))).toEqual(PREVIOUS);
    expect(s.twilio.services[0]!.use_inbound_webhook_on_number).toBe(false);

    const fixed = await runCli([...flags(), "--fix"], s.env);
    expect(fixed.code).toBe(0);
    expect(s.twilio.services[0]!.use_inbound_webhook_on_number).toBe(true);
    expect(fixed.stdout).toContain("✔ Fixed: set the service's integration");
  });

  it("refuses a number whose inbound SMS Conversations auto-creation takes, and says how to fix it", async () => {
    s.twilio.addressConfigurations.push({
      sid: `IG${"5".repeat(32)}`,
      address: "+14155550100",
      friendly_name: "Flex SMS",
      type: "sms",
      auto_creation: { enabled: true, type: "webhook" },
    });
    writeFileSync(configPath, JSON.stringify(PREVIOUS), { mode: 0o600 });
    const refused = await runCli([...flags(), "--fix"], s.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "has a Conversations address configuration (Flex SMS) that auto-creates a Conversation",
    );
    expect(refused.stderr).toContain("→ To fix it, turn off auto-creation for the address");
    expect(JSON.parse(readFileSync(configPath, "utf8"))).toEqual(PREVIOUS);
    s.twilio.addressConfigurations[0]!.auto_creation.enabled = false;
    expect((await runCli(flags(), s.env)).code).toBe(0);
  });

  it("refuses a number whose SMS application overrides its SMS URL, and says how to remove it", async () => {
    s.twilio.numbers[0]!.sms_application_sid = `AP${"3".repeat(32)}`;
    const refused = await runCli([...flags(), "--fix"], s.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `uses the SMS application AP${"3".repeat(32)}, so Twilio ignores its SMS URL`,
    );
    expect(refused.stderr).toContain(
      "→ To fix it, remove the SMS application from the number in the Twilio Console",
    );
    expect(s.twilio.numbers[0]!.sms_application_sid).toBe(`AP${"3".repeat(32)}`);
  });
});
