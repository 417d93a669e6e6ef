import { mkdtempSync, statSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { requireSettings, resolveConfig } from "../../src/config/resolve.js";
import { createConfigStore } from "../../src/config/store.js";
import { ConfigError } from "../../src/errors.js";

const defaults = { dataDir: "/data" };

describe("resolveConfig", () => {
  it("takes flags over environment over file over defaults", () => {
    const { config, sources } = resolveConfig({
      file: {
        bridge: { port: 4000, publicUrl: "https://file.example.com" },
        front: { channelId: "cha_file" },
      },
      env: { PORT: "5000", FRONT_CHANNEL_ID: "cha_env" },
      flags: { "bridge.port": 6000 },
      defaults,
    });
    expect(config.bridge.port).toBe(6000);
    expect(sources["bridge.port"]).toBe("flag");
    expect(config.front.channelId).toBe("cha_env");
    expect(sources["front.channelId"]).toBe("env");
    expect(config.bridge.publicUrl).toBe("https://file.example.com");
    expect(sources["bridge.publicUrl"]).toBe("file");
    expect(config.bridge.host).toBe("0.0.0.0");
    expect(config.bridge.dataDir).toBe("/data");
    expect(config.front.mode).toBe("custom");
    expect(config.api.frontUrl).toBe("https://api2.frontapp.com");
    expect(config.enrich.callerName).toBe(false);
  });

  it("normalises the Twilio number to E.164 with the default country", () => {
    const { config } = resolveConfig({
      file: {},
      env: { TWILIO_PHONE_NUMBER: "(415) 555-0100", FRONT_TWILIO_DEFAULT_COUNTRY: "us" },
      flags: {},
      defaults,
    });
    expect(config.twilio.phoneNumber).toBe("+14155550100");
  });

  it("reads base-URL overrides from the environment only", () => {
    const { config } = resolveConfig({
      file: { api: { frontUrl: "http://ignored" } },
      env: { FRONT_API_URL: "http://127.0.0.1:9/", TWILIO_API_URL: "http://127.0.0.1:8" },
      flags: {},
      defaults,
    });
    expect(config.api).toEqual({ frontUrl: "http://127.0.0.1:9", twilioUrl: "http://127.0.0.1:8" });
  });

  it.each([
    [
      { FRONT_CHANNEL_ID: "inb_123" },
      /front\.channelId "inb_123" from the environment variable FRONT_CHANNEL_ID: a Front channel ID starts with "cha_"/,
    ],
    [{ PORT: "http" }, /bridge\.port "http" from the environment variable PORT/],
    [{ FRONT_CHANNEL_MODE: "email" }, /expected one of custom, application/],
    [{ FRONT_TWILIO_PUBLIC_URL: "sms.example.com" }, /absolute URL/],
    [{ TWILIO_PHONE_NUMBER: "+1555" }, /twilio\.phoneNumber/],
    [{ TWILIO_ACCOUNT_SID: "SK123" }, /Account SID starts with "AC"/],
  ])("names the setting and source of an invalid value %j", (env, message) => {
    expect(() => resolveConfig({ file: {}, env, flags: {}, defaults })).toThrow(message);
  });

  it("lists every missing setting with how to set it", () => {
    const { config } = resolveConfig({ file: {}, env: {}, flags: {}, defaults });
    let error: unknown;
    try {
      requireSettings(config, ["front.apiToken", "bridge.publicUrl"], {
        name: "serve",
        flags: ["--public-url"],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain("front.apiToken    FRONT_API_TOKEN");
    expect((error as ConfigError).message).toContain(
      "bridge.publicUrl  --public-url, FRONT_TWILIO_PUBLIC_URL",
    );
    expect((error as ConfigError).message).not.toContain("--front-token");
  });
});

describe("config store", () => {
  it("writes the profile's file with mode 0600 and keeps profiles apart", () => {
    const cwd = mkdtempSync(join(tmpdir(), "ft-config-"));
    const main = createConfigStore({ cwd });
    const staging = createConfigStore({ cwd, profile: "staging" });
    main.set("front.channelId", "cha_main");
    staging.set("front.channelId", "cha_staging");
    expect(statSync(main.path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(main.path, "utf8"))).toEqual({
      front: { channelId: "cha_main" },
    });
    expect(staging.read()).toEqual({ front: { channelId: "cha_staging" } });
    expect(main.defaultDataDir()).toBe(join(cwd, "data", "default"));
  });

  it("refuses a profile name that could escape the config directory", () => {
    expect(() => createConfigStore({ profile: "../etc" })).toThrow(ConfigError);
  });
});
