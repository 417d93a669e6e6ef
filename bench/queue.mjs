// Issue 13: claims and summaries that do not slow down as the queue grows. The same bridge drains
// a queue of 1 000 and one of 50 000 waiting messages (one customer each, pacing off), and answers
// /healthz meanwhile; each figure with 50 000 is a ratio to the same figure with 1 000.
import { percentile, startServer, timedRequest } from "./lib/measure.mjs";

export const title = "Issue 13 — a long queue (ratio = with 50 000 pending / with 1 000 pending)";

const DELIVER = 1_000;

async function drain(pending) {
  const bridge = await startServer("bridge", { pending, holdWorker: true, tuning: { paceMs: 0 } });
  try {
    const latencies = [];
    const started = performance.now();
    bridge.send("start-worker");
    let delivered = 0;
    while (delivered < DELIVER && performance.now() - started < 60_000) {
      const probe = await timedRequest(bridge.url, { method: "GET", path: "/healthz" }, 5_000);
      latencies.push(probe.ms);
      delivered = (await bridge.stats()).incoming;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      rate: delivered / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    await bridge.stop();
  }
}

export async function run() {
  const small = await drain(1_000);
  const large = await drain(50_000);
  return [
    {
      figure: `drain rate over the first ${DELIVER} deliveries (target ≥ 0.67x)`,
      ms: large.rate,
      refMs: small.rate,
      unit: "msg/s",
    },
    { figure: "/healthz p50 while draining (target ≤ 1.5x)", ms: large.p50, refMs: small.p50 },
    { figure: "/healthz p99 while draining", ms: large.p99, refMs: small.p99 },
  ];
}
