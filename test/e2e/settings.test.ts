import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, cleanEnv, runCli, tempDir, type CliResult } from "../helpers/cli.js";

/** Runs the binary in `cwd`, where a `.env` may be. */
function runIn(cwd: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

describe("settings are validated wherever they enter (the built binary)", () => {
  const env = () => cleanEnv({ FRONT_TWILIO_CONFIG_DIR: tempDir() });

  it.each([
    ["twilio.phoneNumber", "12", "expected a phone number in E.164 form such as +14155550100"],
    ["phone.defaultCountry", "XX", "expected a two-letter ISO 3166 country code"],
    ["bridge.publicUrl", "http://sms.example.com", "expected an https:// URL"],
    ["front.channelId", "123", 'a Front channel ID starts with "cha_"'],
    ["twilio.accountSid", "XY123", 'a Twilio Account SID starts with "AC"'],
    ["enrich.callerName", "maybe", "expected true or false"],
    ["bridge.port", "99999", "expected a port number from 0 to 65535"],
    ["log.level", "loud", "expected one of debug, info, warn, error"],
  ])("config set %s %s is refused with the rule (exit 2)", async (key, value, rule) => {
    const result = await runCli(["config", "set", key, value], env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`✖ Invalid ${key} "${value}" from \`config set ${key}\`: `);
    expect(result.stderr).toContain(rule);
  });

  it("config set normalises a national number with the saved country; http://localhost is allowed", async () => {
    const e = env();
    expect((await runCli(["config", "set", "phone.defaultCountry", "us"], e)).code).toBe(0);
    const saved = await runCli(["config", "set", "twilio.phoneNumber", "(415) 555-0100"], e);
    expect(saved.stdout).toContain("twilio.phoneNumber = +14155550100");
    expect(
      (await runCli(["config", "set", "bridge.publicUrl", "http://localhost:3000"], e)).code,
    ).toBe(0);
  });

  it("a bad value in the environment or a hand-edited file gives one error naming it", async () => {
    const fromEnv = await runCli(["doctor"], { ...env(), FRONT_TWILIO_DEFAULT_COUNTRY: "XX" });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toContain(
      'Invalid phone.defaultCountry "XX" from the environment variable FRONT_TWILIO_DEFAULT_COUNTRY',
    );
    const dir = tempDir();
    writeFileSync(join(dir, "config.json"), JSON.stringify({ twilio: { phoneNumber: "12" } }));
    const fromFile = await runCli(["status"], cleanEnv({ FRONT_TWILIO_CONFIG_DIR: dir }));
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toContain(
      `Invalid twilio.phoneNumber "12" from twilio.phoneNumber in the config file ${join(dir, "config.json")}`,
    );
    expect(fromFile.stderr).not.toContain("    at ");
  });

  it("a bad flag value is a usage error that names the flag", async () => {
    const result = await runCli(["serve", "--public-url", "ftp://x"], env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid bridge.publicUrl "ftp://x" from --public-url');
  });
});

describe(".env, colours and --json errors (the built binary)", () => {
  it("loads .env from the working directory: flags > environment > .env > config file", async () => {
    const cwd = tempDir();
    const configDir = tempDir();
    writeFileSync(
      join(configDir, "config.json"),
      JSON.stringify({ front: { channelId: "cha_file", inboxId: "inb_file" } }),
    );
    writeFileSync(
      join(cwd, ".env"),
      "# local settings\nFRONT_CHANNEL_ID=cha_dotenv\nFRONT_INBOX_ID=inb_dotenv\nTWILIO_PHONE_NUMBER=+14155550100\n",
    );
    const e = cleanEnv({ FRONT_TWILIO_CONFIG_DIR: configDir, FRONT_CHANNEL_ID: "cha_env" });
    const get = async (key: string) => (await runIn(cwd, ["config", "get", key], e)).stdout.trim();
    expect(await get("front.channelId")).toBe("cha_env");
    expect(await get("front.inboxId")).toBe("inb_dotenv");
    expect(await get("twilio.phoneNumber")).toBe("+14155550100");

    writeFileSync(join(cwd, ".env"), "FRONT_TWILIO_DEFAULT_COUNTRY=XX\n");
    const bad = await runIn(cwd, ["config", "get"], e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      `Invalid phone.defaultCountry "XX" from FRONT_TWILIO_DEFAULT_COUNTRY in ${join(cwd, ".env")}`,
    );
  });

  it("under --json an error is one JSON object on stderr with a stable code", async () => {
    const usage = await runCli(["doctor", "--json", "--bogus"], cleanEnv());
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr)).toEqual({
      error: { code: "usage", message: "unknown option '--bogus'" },
    });
    const config = await runCli(
      ["status", "--json"],
      cleanEnv({ FRONT_TWILIO_CONFIG_DIR: tempDir(), TWILIO_PHONE_NUMBER: "12" }),
    );
    expect(config.code).toBe(1);
    const parsed = JSON.parse(config.stderr) as { error: { code: string; message: string } };
    expect(parsed.error.code).toBe("config");
    expect(parsed.error.message).toContain("TWILIO_PHONE_NUMBER");
  });

  it("NO_COLOR and --no-color turn colours off, FORCE_COLOR turns them on", async () => {
    const base = cleanEnv({ FRONT_TWILIO_CONFIG_DIR: tempDir() });
    delete base.NO_COLOR;
    delete base.FORCE_COLOR;
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    const args = ["serve"];
    expect((await runCli(args, { ...base, FORCE_COLOR: "1" })).stderr).toMatch(ansi);
    expect((await runCli(args, { ...base, NO_COLOR: "1" })).stderr).not.toMatch(ansi);
    expect(
      (await runCli([...args, "--no-color"], { ...base, FORCE_COLOR: "1" })).stderr,
    ).not.toMatch(ansi);
  });
});
