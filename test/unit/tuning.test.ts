import { describe, expect, it } from "vitest";
import { tuningFromEnv } from "../../src/settings.js";
import { backoffDelay, DEFAULT_MAX_BACKOFF_MS } from "../../src/worker/backoff.js";

describe("reliability settings from the environment", () => {
  it("reads the longest backoff as a duration and the doubt window in ms", () => {
    expect(
      tuningFromEnv({ FRONT_TWILIO_MAX_BACKOFF: "30s", FRONT_TWILIO_DOUBT_MS: "2500" }),
    ).toEqual({
      maxBackoffMs: 30_000,
      doubtMs: 2_500,
    });
    expect(tuningFromEnv({})).toEqual({});
  });

  it("refuses a longest backoff that is not a positive duration", () => {
    expect(() => tuningFromEnv({ FRONT_TWILIO_MAX_BACKOFF: "0" })).toThrow(/more than 0/);
    expect(() => tuningFromEnv({ FRONT_TWILIO_MAX_BACKOFF: "soon" })).toThrow(/duration/);
  });

  it("never waits longer than a minute by default, however often a job failed", () => {
    expect(DEFAULT_MAX_BACKOFF_MS).toBeLessThanOrEqual(60_000);
    expect(backoffDelay(50, { random: () => 0.999999 })).toBeLessThanOrEqual(60_000);
  });
});
