import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve.js";
import { tuningFrom } from "../../src/settings.js";
import { backoffDelay, DEFAULT_MAX_BACKOFF_MS } from "../../src/worker/backoff.js";

const fromEnv = (env: Record<string, string>) =>
  tuningFrom(resolveConfig({ file: {}, env, flags: {}, defaults: { dataDir: "/tmp/x" } }).config);

const DAY = 86_400_000;

describe("reliability settings, from the settings table", () => {
  it("reads the longest backoff as a duration and the doubt window in ms", () => {
    expect(fromEnv({ FRONT_TWILIO_MAX_BACKOFF: "30s", FRONT_TWILIO_DOUBT_MS: "2500" })).toEqual({
      maxBackoffMs: 30_000,
      doubtMs: 2_500,
      retention: { payloadMs: 7 * DAY, keyMs: 30 * DAY },
    });
    expect(fromEnv({})).toEqual({ retention: { payloadMs: 7 * DAY, keyMs: 30 * DAY } });
  });

  it("refuses a longest backoff that is not a positive duration, naming the variable", () => {
    expect(() => fromEnv({ FRONT_TWILIO_MAX_BACKOFF: "0" })).toThrow(
      /FRONT_TWILIO_MAX_BACKOFF.*more than 0/,
    );
    expect(() => fromEnv({ FRONT_TWILIO_MAX_BACKOFF: "soon" })).toThrow(/duration/);
    expect(() => fromEnv({ FRONT_TWILIO_PACE_MS: "-1" })).toThrow(/FRONT_TWILIO_PACE_MS/);
  });

  it("refuses keys kept for less time than payloads", () => {
    expect(() =>
      fromEnv({ FRONT_TWILIO_RETENTION: "10d", FRONT_TWILIO_KEY_RETENTION: "2d" }),
    ).toThrow(/must outlive/);
  });

  it("never waits longer than a minute by default, however often a job failed", () => {
    expect(DEFAULT_MAX_BACKOFF_MS).toBeLessThanOrEqual(60_000);
    expect(backoffDelay(50, { random: () => 0.999999 })).toBeLessThanOrEqual(60_000);
  });
});
