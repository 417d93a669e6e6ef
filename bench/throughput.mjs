// Issue 13: how fast the bridge acknowledges webhooks, against bare references started in the same
// run: a node:http server answering the same TwiML, and the same server doing one durable SQLite
// insert per request. Load comes from autocannon in this process; each server runs in its own.
import autocannon from "autocannon";
import { randomBytes } from "node:crypto";
import { startServer } from "./lib/measure.mjs";

export const title = "Issue 13 — inbound acknowledgements (ratio = bridge / reference, same run)";

const dist = new URL("../dist/", import.meta.url);
const { signTwilio } = await import(new URL("webhooks/twilio-signature.js", dist).href);
const { encodeForm } = await import(new URL("webhooks/form.js", dist).href);

const DURATION_S = 4;

/**
 * A unique, correctly signed inbound SMS per request, as Twilio sends them; made before the run,
 * so that the load generator spends its time sending, not signing.
 */
function inboundRequest(target, count) {
  const url = `${target.url}/twilio/sms`;
  const prepared = Array.from({ length: count }, () => signedBody(target, url));
  let next = 0;
  return {
    method: "POST",
    path: "/twilio/sms",
    setupRequest(request) {
      const { body, signature } = prepared[next++ % prepared.length];
      return {
        ...request,
        body,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": signature,
        },
      };
    },
  };
}

function signedBody(target, url) {
  const sid = `SM${randomBytes(16).toString("hex")}`;
  const customer = `+1415${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`;
  const body = encodeForm({
    ToCountry: "US",
    SmsMessageSid: sid,
    NumMedia: "0",
    SmsSid: sid,
    SmsStatus: "received",
    Body: "Hi, where is my order?",
    To: target.twilioNumber ?? "+14155550100",
    NumSegments: "1",
    MessageSid: sid,
    AccountSid: target.accountSid ?? `AC${"0".repeat(32)}`,
    From: customer,
    ApiVersion: "2010-04-01",
  });
  return { body, signature: target.authToken ? signTwilio(target.authToken, url, body) : "x" };
}

export async function load(target, options) {
  const result = await autocannon({
    url: target.url,
    duration: DURATION_S,
    requests: [inboundRequest(target, 60_000)],
    ...options,
  });
  const non2xx = result.non2xx + result.errors + result.timeouts;
  return { rps: result.requests.average, p99: result.latency.p99, non2xx };
}

export async function run() {
  const bare = await startServer("reference");
  const sqlite = await startServer("reference-sqlite");
  // Paced as in production: the worker delivers a few per second meanwhile, as it would.
  const bridge = await startServer("bridge");
  const rows = [];
  try {
    for (const connections of [16, 64]) {
      const ref = await load(bare, { connections });
      const refSqlite = await load(sqlite, { connections });
      const ours = await load(bridge, { connections });
      rows.push(
        {
          figure: `ack throughput, ${connections} concurrent, vs bare TwiML (target ≥ 0.25x)`,
          ms: ours.rps,
          refMs: ref.rps,
          unit: "req/s",
          note: ours.non2xx ? `${ours.non2xx} not 2xx!` : "",
        },
        {
          figure: `ack throughput, ${connections} concurrent, vs bare + 1 durable insert (≥ 2x)`,
          ms: ours.rps,
          refMs: refSqlite.rps,
          unit: "req/s",
        },
      );
    }
    const ref = await load(bare, { connections: 16, overallRate: 500 });
    const ours = await load(bridge, { connections: 16, overallRate: 500 });
    rows.push({
      figure: "p99 ack latency at a fixed 500 req/s (target ≤ 2x)",
      ms: ours.p99,
      refMs: ref.p99,
      note: ours.non2xx ? `${ours.non2xx} not 2xx!` : "",
    });
  } finally {
    await Promise.all([bare.stop(), sqlite.stop(), bridge.stop()]);
  }
  return rows;
}
