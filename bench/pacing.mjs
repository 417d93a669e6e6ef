// Issue 13: pacing that meets Front's limits. 300 waiting messages (one customer each, one
// channel) against a Front stand-in that enforces a company budget per window and 5 per second per
// channel, with time shrunk five-fold so the run takes two minutes: a "minute" is 12 s, a "second"
// 200 ms, and the bridge's pacer is given its defaults on the same scale. The reference is the theoretical minimum: one
// window's budget per window, and no faster than the burst limit.
import { startServer } from "./lib/measure.mjs";

export const title =
  "Issue 13 — pacing against enforced Front limits (time × 1/5; ratio = time / minimum)";

const MESSAGES = 300;
const SCALE = 5;
const WINDOW_MS = 60_000 / SCALE;
const BURST = { count: 5, windowMs: 1_000 / SCALE };

async function burst(perWindow) {
  const bridge = await startServer("bridge", {
    pending: MESSAGES,
    holdWorker: true,
    rateLimits: {
      perWindow,
      windowMs: WINDOW_MS,
      perChannelPerSecond: BURST.count,
      burstWindowMs: BURST.windowMs,
    },
    tuning: {
      pacing: {
        minIntervalMs: 200 / SCALE,
        burst: { count: 5, windowMs: 1_100 / SCALE },
        companyWindowMs: 60_500 / SCALE,
      },
    },
  });
  try {
    const started = performance.now();
    bridge.send("start-worker");
    let stats = await bridge.stats();
    while (stats.incoming < MESSAGES && performance.now() - started < 100_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      stats = await bridge.stats();
    }
    const ms = performance.now() - started;
    const minimum = theoreticalMinimum(perWindow);
    const refused = stats.rateLimited.company + stats.rateLimited.burst;
    const requests = stats.incoming + refused;
    return {
      figure: `${MESSAGES} messages at ${perWindow}/"minute" and 5/"second" (target ≤ 1.1x, < 1 % 429)`,
      ms,
      refMs: minimum,
      note: `${refused} answered 429 (${((100 * refused) / requests).toFixed(1)} %: ${stats.rateLimited.company} company, ${stats.rateLimited.burst} burst)${stats.incoming < MESSAGES ? `; only ${stats.incoming} delivered` : ""}`,
    };
  } finally {
    await bridge.stop();
  }
}

/**
 * The earliest the last message can leave under both limits, for a client that knows them exactly:
 * as fast as the burst limit allows, `perWindow` per company window (windows aligned with the first
 * message, the most favourable case), then wait for the next window.
 */
function theoreticalMinimum(perWindow) {
  const sent = [];
  let windowStart = 0;
  let inWindow = 0;
  for (let i = 0; i < MESSAGES; i++) {
    let at = Math.max(
      sent.at(-1) ?? 0,
      i >= BURST.count ? sent[i - BURST.count] + BURST.windowMs : 0,
    );
    while (at >= windowStart + WINDOW_MS) {
      windowStart += WINDOW_MS;
      inWindow = 0;
    }
    if (inWindow === perWindow) {
      windowStart += WINDOW_MS;
      inWindow = 0;
      at = Math.max(at, windowStart);
    }
    inWindow++;
    sent.push(at);
  }
  return sent.at(-1);
}

export async function run() {
  const rows = [];
  for (const perWindow of [50, 100, 200]) rows.push(await burst(perWindow));
  return rows;
}
