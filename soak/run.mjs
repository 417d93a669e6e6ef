// `npm run soak`: the real binary (`bin/front-twilio.js serve`) against the stand-ins, SIGKILLed at
// random moments while messages flow both ways, then counts what was lost or duplicated.
//
//   node soak/run.mjs [--each 2000] [--kills 15] [--customers 40] [--seed N] [--json]
//
// Inbound: the Twilio stand-in posts each customer SMS (a fresh MessageSid) to the bridge and, like
// Twilio with a retry policy, posts the same MessageSid again until the bridge answers 200.
// Outbound: the Front stand-in posts each agent message (a fresh Front message id) and, like an
// agent pressing "retry", posts it again until the bridge answers success. A message is lost when
// it was acknowledged but never arrived; duplicated when it arrived more than once. Faults on top:
// Twilio answers some sends slowly (so kills land while Twilio is slow), Front answers some
// deliveries 429 or 503. Exit code 1 on any loss, or on any outbound duplicate.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    each: { type: "string", default: "2000" },
    kills: { type: "string", default: "15" },
    customers: { type: "string", default: "40" },
    seed: { type: "string" },
    json: { type: "boolean", default: false },
    log: { type: "string" },
  },
});
const EACH = Number(args.each);
const KILLS = Number(args.kills);
const CUSTOMERS = Number(args.customers);
const IN_FLIGHT = 8; // concurrent senders per direction
const DRAIN_LIMIT_MS = 240_000; // after the last kill, how long everything may take to arrive

// A small deterministic PRNG, so a failing run can be replayed with --seed.
let seed = Number(args.seed ?? Date.now() % 1e9);
const firstSeed = seed;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const between = (low, high) => low + Math.floor(random() * (high - low));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const root = new URL("../", import.meta.url);
const dist = (path) => import(new URL(`dist/${path}`, root).href);
const [{ startFrontStandIn }, { startTwilioStandIn }] = await Promise.all([
  dist("stand-ins/front-stand-in.js"),
  dist("stand-ins/twilio-stand-in.js"),
]);

const port = await freePort();
const publicUrl = `http://127.0.0.1:${port}`;
const TOKEN = "soak-webhook-token-0123456789abcdef";
const front = await startFrontStandIn({
  channel: { id: "cha_soak", webhookUrl: `${publicUrl}/front/${TOKEN}` },
});
const twilio = await startTwilioStandIn({ smsUrl: `${publicUrl}/twilio/sms` });
const dir = mkdtempSync(join(tmpdir(), "front-twilio-soak-"));
const log = createWriteStream(args.log ?? join(dir, "bridge.log"));
const env = {
  PATH: process.env.PATH,
  HOME: dir,
  FRONT_TWILIO_CONFIG_DIR: dir,
  FRONT_TWILIO_DATA_DIR: join(dir, "data"),
  FRONT_API_URL: front.url,
  TWILIO_API_URL: twilio.url,
  FRONT_API_TOKEN: front.token,
  FRONT_CHANNEL_ID: "cha_soak",
  FRONT_TWILIO_WEBHOOK_TOKEN: TOKEN,
  TWILIO_ACCOUNT_SID: twilio.accountSid,
  TWILIO_AUTH_TOKEN: twilio.authToken,
  TWILIO_PHONE_NUMBER: "+14155550100",
  FRONT_TWILIO_PACE_MS: "2", // the stand-in has no burst limit; pacing is not what is soaked
  FRONT_TWILIO_RETRY_BASE_MS: "100",
  ...(process.env.FRONT_TWILIO_DOUBT_MS
    ? { FRONT_TWILIO_DOUBT_MS: process.env.FRONT_TWILIO_DOUBT_MS }
    : {}),
};

let bridge;
let starts = 0;
const readyTimes = [];
async function startBridge() {
  const began = Date.now();
  starts += 1;
  const child = spawn(
    process.execPath,
    [
      new URL("bin/front-twilio.js", root).pathname,
      "serve",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--public-url",
      publicUrl,
    ],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let output = "";
  const ready = new Promise((resolve, reject) => {
    const look = (chunk) => {
      output += chunk;
      log.write(chunk);
      if (output.includes("Press Ctrl+C")) resolve();
    };
    child.stdout.on("data", look);
    child.stderr.on("data", look);
    void exited.then(({ code }) =>
      reject(new Error(`bridge exited (${code}) before it was ready:\n${output}`)),
    );
  });
  await ready;
  readyTimes.push(Date.now() - began);
  bridge = { child, exited };
}

/** Posts until the bridge acknowledges; counts the tries that found it down or dying. */
async function untilAcknowledged(post) {
  for (;;) {
    const reply = await post().catch(() => undefined);
    if (reply?.status === 200) return reply;
    await sleep(50);
  }
}

const inboundSids = [];
const outboundIds = [];
async function sendInbound() {
  for (;;) {
    const n = inboundSids.length;
    if (n >= EACH) return;
    const sid = `SM${String(n).padStart(8, "0")}${"f".repeat(24)}`;
    inboundSids.push(sid);
    const from = `+1415555${String(1000 + (n % CUSTOMERS)).padStart(4, "0")}`;
    await untilAcknowledged(() =>
      twilio.sendInboundSms({ from, body: `in ${n}`, messageSid: sid }),
    );
  }
}
async function sendOutbound() {
  for (;;) {
    const n = outboundIds.length;
    if (n >= EACH) return;
    const id = `msg_soak${n}`;
    outboundIds.push(id);
    const to = `+1415666${String(1000 + (n % CUSTOMERS)).padStart(4, "0")}`;
    await untilAcknowledged(() => front.sendAgentMessage({ to, text: `out ${n}`, messageId: id }));
  }
}

/**
 * Random trouble from the vendors, so kills also land while Twilio is slow or Front refuses. A new
 * fault is armed only once the previous one of its kind was used, so faults never pile up.
 */
function chaos() {
  const armed = { twilio: false, front: false };
  const arm = (kind, standIn, match, fault) => {
    if (armed[kind]) return;
    armed[kind] = true;
    standIn.fail((r) => match(r) && !(armed[kind] = false), fault);
  };
  const isSend = (r) => r.method === "POST" && r.path.endsWith("/Messages.json");
  const isDelivery = (r) => r.path.endsWith("/incoming_messages");
  const timer = setInterval(() => {
    const pick = random();
    if (pick < 0.5) arm("twilio", twilio, isSend, { delayMs: between(200, 2500) });
    else if (pick < 0.6)
      arm("front", front, isDelivery, {
        status: 429,
        headers: { "retry-after": "1" },
        body: { _error: { status: 429, title: "Too many requests", message: "slow down" } },
      });
    else if (pick < 0.75)
      arm("front", front, isDelivery, {
        status: 503,
        body: { _error: { status: 503, title: "Unavailable", message: "try later" } },
      });
  }, 500);
  return () => clearInterval(timer);
}

function delivered() {
  const inbound = new Map();
  for (const m of front.incoming) {
    const sid = m.message.metadata?.headers?.twilio_message_sid;
    inbound.set(sid, (inbound.get(sid) ?? 0) + 1);
  }
  const outbound = new Map();
  for (const m of twilio.messages) outbound.set(m.body, (outbound.get(m.body) ?? 0) + 1);
  return { inbound, outbound };
}
const complete = () => {
  const { inbound, outbound } = delivered();
  return (
    inboundSids.every((sid) => inbound.has(sid)) &&
    outboundIds.every((_, n) => outbound.has(`out ${n}`))
  );
};

const started = Date.now();
await startBridge();
const stopChaos = chaos();
const senders = Array.from({ length: IN_FLIGHT }, () => [sendInbound(), sendOutbound()]).flat();
let sending = true;
void Promise.all(senders).then(() => (sending = false));

// Kills at random moments: while sending, then (if sending ended first) while the queue drains.
const kills = [];
for (let k = 0; k < KILLS; k++) {
  await sleep(between(300, sending ? 2500 : 1200));
  const at = { inbound: front.incoming.length, outbound: twilio.messages.length };
  bridge.child.kill("SIGKILL");
  await bridge.exited;
  kills.push(at);
  await sleep(between(0, 400));
  await startBridge();
}
await Promise.all(senders);
stopChaos();
const drainStarted = Date.now();
while (!complete() && Date.now() - drainStarted < DRAIN_LIMIT_MS) await sleep(100);
const drainMs = Date.now() - drainStarted;
await sleep(1000); // late duplicates, if any, arrive now
bridge.child.kill("SIGTERM");
await bridge.exited;

const { inbound, outbound } = delivered();
const count = (ids, seen) => ({
  sent: ids.length,
  lost: ids.filter((id) => !seen(id)).length,
  duplicated: ids.reduce((sum, id) => sum + Math.max(0, (seen(id) ?? 0) - 1), 0),
  examples: ids.filter((id) => !seen(id) || seen(id) > 1).slice(0, 5),
});
const result = {
  seed: firstSeed,
  kills: kills.length,
  starts,
  inbound: count(inboundSids, (sid) => inbound.get(sid)),
  outbound: count(outboundIds, (id) => outbound.get(`out ${id.slice("msg_soak".length)}`)),
  slowestRestartMs: Math.max(...readyTimes),
  drainAfterLastKillMs: drainMs,
  seconds: Math.round((Date.now() - started) / 1000),
};
await front.close();
await twilio.close();
log.end();
if (!args.log) rmSync(dir, { recursive: true, force: true });

if (args.json) console.log(JSON.stringify(result));
else {
  console.log(`soak: ${EACH} messages each way, ${result.kills} kill -9s, seed ${result.seed}`);
  for (const direction of ["inbound", "outbound"]) {
    const r = result[direction];
    console.log(
      `  ${direction.padEnd(8)}  sent ${r.sent}  lost ${r.lost}  duplicated ${r.duplicated}` +
        (r.examples.length ? `  (e.g. ${r.examples.join(", ")})` : ""),
    );
  }
  console.log(
    `  restarts ready in ≤ ${result.slowestRestartMs} ms; everything arrived ${(drainMs / 1000).toFixed(1)} s after the last kill; ${result.seconds} s in all`,
  );
}
const failed = result.inbound.lost + result.outbound.lost + result.outbound.duplicated > 0;
process.exit(failed ? 1 : 0);

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port: free } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return free;
}
