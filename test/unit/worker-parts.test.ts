import { describe, expect, it } from "vitest";
import { FrontApiError, parseFrontError, readRateLimit } from "../../src/clients/front-errors.js";
import { TwilioApiError, toTwilioApiError } from "../../src/clients/twilio-errors.js";
import type { Clock } from "../../src/clock.js";
import { backoffDelay } from "../../src/worker/backoff.js";
import { classifyFailure } from "../../src/worker/outcome.js";
import { createPacer } from "../../src/worker/pacer.js";

function manualClock(start = 1_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe("pacer", () => {
  it("spaces calls to one channel by 200 ms, and leaves other channels alone", async () => {
    const clock = manualClock();
    const pacer = createPacer({ clock });
    await pacer.acquire("cha_1");
    await pacer.acquire("cha_1");
    await pacer.acquire("cha_2");
    await pacer.acquire("cha_1");
    expect(clock.slept).toEqual([200, 200]);
  });

  it("pauses every channel after a Retry-After, and until the reset when the window is spent", async () => {
    const clock = manualClock();
    const pacer = createPacer({ clock });
    pacer.observe({ retryAfterMs: 1500 });
    await pacer.acquire("cha_1");
    expect(clock.slept).toEqual([1500]);
    pacer.observe({ remaining: 0, resetAt: clock.now() + 3000 });
    await pacer.acquire("cha_9");
    expect(clock.slept).toEqual([1500, 3000]);
    pacer.observe({ remaining: 0, resetAt: clock.now() + 10 * 60_000 });
    await pacer.acquire("cha_8");
    expect(clock.slept[2]).toBe(60_000); // capped: a skewed clock must not stall the bridge
  });
});

describe("pacer against Front's limits", () => {
  /** A clock whose sleepers wake in time order, so concurrent callers interleave as they would. */
  function sharedClock(start = 0) {
    let now = start;
    const sleepers: { at: number; wake: () => void }[] = [];
    return {
      now: () => now,
      sleep: (ms: number) =>
        new Promise<void>((wake) => sleepers.push({ at: now + Math.max(0, ms), wake })),
      /** Runs until nothing sleeps: wakes the earliest sleeper, lets it run, repeats. */
      async run() {
        for (;;) {
          await new Promise((resolve) => setImmediate(resolve));
          sleepers.sort((a, b) => a.at - b.at);
          const next = sleepers.shift();
          if (!next) return;
          now = Math.max(now, next.at);
          next.wake();
        }
      },
    };
  }

  it("never lets more than 5 calls for one channel into any 1 100 ms, nor two within 200 ms", async () => {
    const clock = sharedClock();
    const pacer = createPacer({ clock });
    const times: number[] = [];
    const calls = Array.from({ length: 40 }, () =>
      pacer.acquire("cha_1").then(() => times.push(clock.now())),
    );
    await clock.run();
    await Promise.all(calls);
    for (let i = 5; i < times.length; i++)
      expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(1_100);
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(200);
    // …and wastes no time doing it: 40 calls in 7 windows of 1 100 ms (plus spacing).
    expect(times.at(-1)).toBeLessThanOrEqual(8 * 1_100);
  });

  it("shares the company's per-minute budget between channels once Front announces it", async () => {
    const clock = sharedClock();
    const pacer = createPacer({ clock, companyWindowMs: 60_000 });
    pacer.observe({ limit: 10, remaining: 10 });
    const times: number[] = [];
    const calls = Array.from({ length: 30 }, (_, i) =>
      pacer.acquire(`cha_${i % 6}`).then(() => times.push(clock.now())),
    );
    await clock.run();
    await Promise.all(calls);
    times.sort((a, b) => a - b);
    for (let i = 10; i < times.length; i++)
      expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(60_000);
    expect(times.at(-1)).toBeLessThan(2 * 60_000 + 1_000);
  });

  it("lets nothing leave during a Retry-After that arrives while callers wait for their slot", async () => {
    const clock = sharedClock(1_000);
    const pacer = createPacer({ clock });
    const times: number[] = [];
    const calls = Array.from({ length: 8 }, () =>
      pacer.acquire("cha_1").then(() => {
        times.push(clock.now());
        // The second call is answered 429 with Retry-After: 2 s.
        if (times.length === 2) pacer.observe({ retryAfterMs: 2_000 });
      }),
    );
    await clock.run();
    await Promise.all(calls);
    expect(times.slice(0, 2)).toEqual([1_000, 1_200]);
    expect(times.slice(2).every((t) => t >= 3_200)).toBe(true);
  });
});

describe("backoff", () => {
  it("doubles from the base, is capped, and jitters within [50%, 100%)", () => {
    expect(backoffDelay(1, { baseMs: 1000, random: () => 0 })).toBe(500);
    expect(backoffDelay(3, { baseMs: 1000, random: () => 0.999999 })).toBe(4000);
    expect(backoffDelay(30, { baseMs: 1000, capMs: 60_000, random: () => 0.5 })).toBe(45_000);
  });
});

describe("failure classification", () => {
  it("retries 429 with Retry-After, 5xx and network errors; counts 409 as delivered; dead-letters other 4xx", () => {
    expect(classifyFailure(new FrontApiError(429, "slow down", { retryAfterMs: 2000 }))).toEqual({
      kind: "retry",
      error: "slow down",
      retryAfterMs: 2000,
    });
    expect(classifyFailure(new FrontApiError(503, "down"))).toEqual({
      kind: "retry",
      error: "down",
    });
    expect(classifyFailure(new FrontApiError(0, "unreachable"))).toEqual({
      kind: "retry",
      error: "unreachable",
    });
    expect(classifyFailure(new FrontApiError(409, "exists"))).toMatchObject({ kind: "done" });
    expect(classifyFailure(new FrontApiError(400, "bad"))).toEqual({ kind: "dead", error: "bad" });
    expect(classifyFailure(new TwilioApiError(429, 20429, "busy")).kind).toBe("retry");
    expect(classifyFailure(new TwilioApiError(400, 21211, "x"))).toEqual({
      kind: "dead",
      error: "the 'To' number is not a valid phone number (Twilio 21211)",
    });
  });

  it("reads Front's rate-limit headers and error bodies", () => {
    const headers = new Headers({
      "x-ratelimit-limit": "100",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": "1700000060",
      "retry-after": "2",
    });
    expect(readRateLimit(headers, 0)).toEqual({
      limit: 100,
      remaining: 0,
      resetAt: 1_700_000_060_000,
      retryAfterMs: 2000,
    });
    expect(
      readRateLimit(
        new Headers(),
        0,
        "Rate limit exceeded for tier-2 route. Please retry in 341 milliseconds.",
      ),
    ).toEqual({ retryAfterMs: 341 });
    expect(
      parseFrontError(
        404,
        '{"_error":{"status":404,"title":"Not found","message":"Unknown conversation ID cn_123"}}',
      ),
    ).toBe("Front answered 404: Not found: Unknown conversation ID cn_123");
    expect(
      parseFrontError(400, '{"_error":{"message":"Unexpected token a in JSON at position 109"}}'),
    ).toBe("Front answered 400: Unexpected token a in JSON at position 109");
    expect(parseFrontError(400, '{"_error":[{"title":"Bad request"}]}')).toBe(
      "Front answered 400: Bad request",
    );
    expect(parseFrontError(502, "<html>Bad gateway</html>")).toBe(
      "Front answered 502: <html>Bad gateway</html>",
    );
  });

  it("maps Twilio SDK errors, including network errors without a status", () => {
    expect(toTwilioApiError({ status: 400, code: 21610, message: "unsubscribed" })).toMatchObject({
      status: 400,
      code: 21610,
    });
    const network = toTwilioApiError(
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    );
    expect(network).toMatchObject({
      status: 0,
      retryable: true,
      message: "Twilio could not be reached (ECONNREFUSED)",
    });
  });
});
