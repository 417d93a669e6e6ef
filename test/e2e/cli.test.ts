import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, runCli, tempDir } from "../helpers/cli.js";

describe("front-twilio (the built binary)", () => {
  it("prints help and its version", async () => {
    const help = await runCli(["--help"], cleanEnv());
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("serve [options]");
    expect(help.stdout).toContain("config");
    const version = await runCli(["--version"], cleanEnv());
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it("fails on an unknown command with a usage message", async () => {
    const result = await runCli(["serv"], cleanEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'serv'");
  });

  it("serve without configuration lists what is missing, without a stack trace, and writes nothing", async () => {
    const dir = tempDir();
    const result = await runCli(["serve"], cleanEnv({ FRONT_TWILIO_CONFIG_DIR: dir }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("✖ serve needs settings that are missing:");
    expect(result.stderr).toContain("front.apiToken      FRONT_API_TOKEN");
    expect(result.stderr).toContain("bridge.publicUrl    --public-url, FRONT_TWILIO_PUBLIC_URL");
    expect(result.stderr).toContain("→ ");
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(existsSync(join(dir, "config.json"))).toBe(false);
  });

  it("config set/get/path: validated, saved with mode 0600, secrets masked, per profile", async () => {
    const env = cleanEnv({ FRONT_TWILIO_CONFIG_DIR: tempDir() });
    const path = (await runCli(["config", "path"], env)).stdout.trim();
    expect((await runCli(["config", "set", "front.apiToken", "secret-token-abcd"], env)).code).toBe(
      0,
    );
    expect((await runCli(["config", "set", "front.channelId", "cha_123"], env)).code).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const token = await runCli(["config", "get", "front.apiToken"], env);
    expect(token.stdout.trim()).toBe("••••abcd");
    const all = await runCli(["config", "get"], env);
    expect(all.stdout).toMatch(/front\.channelId\s+cha_123\s+file/);
    expect(all.stdout).not.toContain("secret-token");
    const fromEnv = await runCli(["config", "get", "front.channelId", "--json"], {
      ...env,
      FRONT_CHANNEL_ID: "cha_env",
    });
    expect(JSON.parse(fromEnv.stdout)).toEqual({
      key: "front.channelId",
      value: "cha_env",
      source: "env",
    });
    const staging = await runCli(["--profile", "staging", "config", "get", "front.channelId"], env);
    expect(staging.stdout.trim()).toBe("(not set)");
  });

  it("config set refuses bad values and unknown keys, and changes nothing", async () => {
    const env = cleanEnv({ FRONT_TWILIO_CONFIG_DIR: tempDir() });
    const bad = await runCli(["config", "set", "front.channelId", "inb_1"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('a Front channel ID starts with "cha_"');
    const unknown = await runCli(["config", "set", "front.colour", "blue"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown config key "front.colour"');
    expect((await runCli(["config", "get", "front.channelId"], env)).stdout.trim()).toBe(
      "(not set)",
    );
  });
});

describe("front-twilio demo", () => {
  it("makes the round trip with no accounts, no config and no network, showing each hop", async () => {
    const dir = tempDir();
    const result = await runCli(["demo"], cleanEnv({ FRONT_TWILIO_CONFIG_DIR: dir }));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--> sms \+1415…23 SM\w+ queued/);
    expect(result.stdout).toMatch(/<-- front \+1415…23 SM\w+ delivered/);
    expect(result.stdout).toContain('bridge answered 200 {"type":"success"}');
    expect(result.stdout).toContain("✔ Round trip complete");
    expect(existsSync(join(dir, "config.json"))).toBe(false);
  });
});
