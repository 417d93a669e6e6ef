// Issue 10 figures: how long the bridge takes to answer hostile bodies, and how /healthz fares
// meanwhile, each as a ratio to a bare node:http server measured in the same run.
import { WEBHOOK_TOKEN } from "./lib/constants.mjs";
import {
  median,
  percentile,
  sampleHealthzDuring,
  startServer,
  timedRequest,
  timeRepeated,
} from "./lib/measure.mjs";

export const title =
  "Issue 10 — hostile input (ratio = bridge / bare node:http reference, same run)";

const TIMEOUT_MS = 25_000;
const SECRET = "bench-webhook-secret";
const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);

export async function run() {
  const { signFrontCustom } = await dist("webhooks/front-signature.js");
  const { frontCustomMessage } = await dist("simulate/payloads.js");
  const rows = [];
  const loaded = [];
  const servers = [];
  const start = async (mode, options) => {
    const server = await startServer(mode, options);
    servers.push(server);
    return server;
  };

  try {
    const reference = await start("reference");
    const bridge = await start("bridge");

    // (c) baseline: /healthz on idle servers.
    const idle = async (url) => {
      const samples = [];
      for (let i = 0; i < 200; i++)
        samples.push((await timedRequest(url, { method: "GET", path: "/healthz" }, 5_000)).ms);
      return samples;
    };
    const idleRef = await idle(reference.url);
    const idleBridge = await idle(bridge.url);

    /** Times `req` on the bridge (sampling /healthz meanwhile) and on the reference. */
    async function figure(figureName, target, req, note) {
      const sending = timeRepeated(() => timedRequest(target.url, req, TIMEOUT_MS));
      const [result, latencies] = await Promise.all([
        sending,
        sampleHealthzDuring(target.url, sending, TIMEOUT_MS),
      ]);
      loaded.push(...latencies);
      // A request that timed out may still hold the bridge's event loop: let it finish first.
      if (result.timedOut)
        await timedRequest(target.url, { method: "GET", path: "/healthz" }, 30_000);
      const ref = await timeRepeated(() => timedRequest(reference.url, req, TIMEOUT_MS));
      rows.push({
        figure: figureName,
        ms: result.ms,
        refMs: ref.ms,
        timedOut: result.timedOut,
        note: `${result.timedOut ? "timed out" : `HTTP ${result.status}`}, n=${result.n}${note ? `; ${note}` : ""}`,
      });
    }

    // (a) 64 KB of one repeated key, unsigned and wrongly signed.
    const repeated = "a=1&".repeat(16 * 1024).slice(0, 64 * 1024 - 1);
    for (const path of ["/twilio/sms", "/twilio/status"]) {
      for (const [how, signature] of [
        ["unsigned", undefined],
        ["wrongly signed", "AAAA=="],
      ]) {
        await figure(`(a) ${path} 64 KB a=1&a=1&…, ${how}`, bridge, {
          path,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            ...(signature ? { "x-twilio-signature": signature } : {}),
          },
          body: repeated,
        });
      }
    }

    // (b) HTML and JSON that are expensive to read, on a custom channel's token path.
    const message = (extra) => {
      const { text: _text, ...rest } = frontCustomMessage({
        apiBase: bridge.frontUrl,
        to: "+14155550123",
        text: "x",
      });
      return JSON.stringify({ ...rest, ...extra });
    };
    const frontPath = `/front/${WEBHOOK_TOKEN}`;
    const json = { "content-type": "application/json" };
    const angles = message({ body: "<".repeat(150_000) });
    await figure("(b) /front/<token> body: 150 000 × '<'", bridge, {
      path: frontPath,
      headers: json,
      body: angles,
    });
    const depth = 100_000;
    const deep = message({ body: "<p>hi</p>" }).replace(
      /}$/,
      `,"metadata":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`,
    );
    await figure("(b) /front/<token> metadata nested 100 000 deep", bridge, {
      path: frontPath,
      headers: json,
      body: deep,
    });
    const tags = message({ body: "<a ".repeat(20_000) });
    await figure("(b) /front/<token> body: 20 000 × '<a '", bridge, {
      path: frontPath,
      headers: json,
      body: tags,
    });

    const elements = message({ body: "<b>x</b>".repeat(120_000) });
    await figure("(b) /front/<token> body: 120 000 × '<b>x</b>' (960 KB)", bridge, {
      path: frontPath,
      headers: json,
      body: elements,
    });

    const signed = await start("bridge", { webhookSecret: SECRET });
    await figure("(b) /front/<token> 150 000 × '<', signed (secret)", signed, {
      path: frontPath,
      headers: { ...json, "x-front-signature": signFrontCustom(SECRET, angles) },
      body: angles,
    });

    // (c) /healthz while the requests above were in flight, against the idle bridge.
    const p = (values, q) => percentile(values, q);
    rows.push(
      {
        figure: "(c) /healthz p50, idle",
        ms: median(idleBridge),
        refMs: median(idleRef),
        note: "n=200",
      },
      {
        figure: "(c) /healthz p99, idle",
        ms: p(idleBridge, 99),
        refMs: p(idleRef, 99),
        note: "n=200",
      },
      {
        figure: "(c) /healthz p50 during (a)/(b)",
        ms: median(loaded),
        refMs: median(idleBridge),
        note: `ratio vs idle bridge, n=${loaded.length}`,
      },
      {
        figure: "(c) /healthz p99 during (a)/(b)",
        ms: p(loaded, 99),
        refMs: p(idleBridge, 99),
        note: `ratio vs idle bridge; max ${Math.max(...loaded).toFixed(0)} ms`,
      },
    );
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
  return rows;
}
