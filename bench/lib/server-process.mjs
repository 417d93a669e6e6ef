// A server under measurement, in its own process so that a blocked event loop there cannot
// distort the timings taken by the bench. argv[2]: "bridge" or "reference"; argv[3]: JSON options.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WEBHOOK_TOKEN } from "./constants.mjs";

const [mode = "bridge", rawOptions = "{}"] = process.argv.slice(2);
const options = JSON.parse(rawOptions);
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** The bare reference: reads the body and answers what the bridge answers, doing nothing else. */
async function startReference() {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      Buffer.concat(chunks);
      if (req.url?.startsWith("/twilio/")) {
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(TWIML);
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(req.url === "/healthz" ? '{"status":"ok"}' : '{"type":"success"}');
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: async () => server.close() };
}

/** The bare reference plus one durable SQLite insert (WAL, synchronous=FULL) per request. */
async function startReferenceSqlite() {
  const { default: Database } = await import("better-sqlite3");
  const dataDir = mkdtempSync(join(tmpdir(), "front-twilio-bench-ref-"));
  const db = new Database(join(dataDir, "ref.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE jobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO jobs (body) VALUES (?)");
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      insert.run(Buffer.concat(chunks).toString());
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(TWIML);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: async () => {
      server.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The real bridge (custom channel) against the Front and Twilio stand-ins, on a temp store. */
async function startBridge() {
  const dist = new URL("../../dist/", import.meta.url);
  const load = (path) => import(new URL(path, dist).href);
  const [{ createBridge }, { startHttpServer }, { startFrontStandIn }, { startTwilioStandIn }] =
    await Promise.all([
      load("app.js"),
      load("http/server.js"),
      load("stand-ins/front-stand-in.js"),
      load("stand-ins/twilio-stand-in.js"),
    ]);
  const { openSqliteStore } = await load("store/sqlite-open.js");
  const { createTwilioGateway } = await load("clients/twilio.js");
  const { silentLogger } = await load("log.js");

  const dataDir = mkdtempSync(join(tmpdir(), "front-twilio-bench-"));
  const reservation = createServer();
  await new Promise((resolve) => reservation.listen(0, "127.0.0.1", resolve));
  const port = reservation.address().port;
  await new Promise((resolve) => reservation.close(resolve));
  const publicUrl = `http://127.0.0.1:${port}`;
  const secret = options.webhookSecret;
  const front = await startFrontStandIn({
    channel: { id: "cha_bench", webhookUrl: `${publicUrl}/front/${WEBHOOK_TOKEN}` },
    ...(secret ? { webhookSecret: secret } : {}),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  const twilio = await startTwilioStandIn({ smsUrl: `${publicUrl}/twilio/sms` });
  const settings = {
    mode: "custom",
    front: {
      mode: "custom",
      apiToken: front.token,
      channelId: "cha_bench",
      webhookToken: WEBHOOK_TOKEN,
      baseUrl: front.url,
      ...(secret ? { webhookSecret: secret } : {}),
    },
    twilio: {
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      phoneNumber: twilio.numbers[0].phone_number,
      baseUrl: twilio.url,
    },
    publicUrl,
  };
  // With a database URL (bench/postgres.mjs), the shared PostgreSQL store and pace budget.
  const location = { dataDir, databaseUrl: options.databaseUrl };
  const { openStore, openPaceBudget } = await load("store/open-store.js");
  const store = options.databaseUrl ? await openStore(location) : openSqliteStore(dataDir);
  const paceBudget = options.databaseUrl ? openPaceBudget(location) : undefined;
  // Jobs waiting before the worker starts (the drain figures): one customer each.
  if (options.pending) {
    const route = `${settings.twilio.phoneNumber}|cha_bench`;
    const writes = [];
    for (let i = 0; i < options.pending; i++) {
      const customer = `+1415${String(5_000_000 + i).padStart(7, "0")}`;
      const sid = `SM${i.toString(16).padStart(32, "0")}`;
      writes.push(
        store.enqueue(
          {
            kind: "inbound",
            dedupeKey: `in:${sid}`,
            route,
            orderKey: `in:sms:${customer}:${settings.twilio.phoneNumber}`,
            payload: {
              messageSid: sid,
              from: customer,
              to: settings.twilio.phoneNumber,
              body: "waiting",
              numMedia: 0,
              receivedAt: Date.now(),
            },
          },
          Date.now(),
        ),
      );
    }
    await Promise.all(writes);
  }
  const bridge = await createBridge({
    settings,
    store,
    logger: silentLogger,
    twilio: createTwilioGateway({ ...settings.twilio, timeoutMs: 2_000 }),
    tuning: options.tuning ?? {},
    ...(paceBudget ? { paceBudget } : {}),
  });
  const server = await startHttpServer(bridge.handle, {
    host: "127.0.0.1",
    port,
    logger: silentLogger,
  });
  if (!options.holdWorker) bridge.start();
  process.on("message", (message) => {
    if (message === "start-worker") bridge.start();
  });
  return {
    url: publicUrl,
    frontUrl: front.url,
    authToken: twilio.authToken,
    accountSid: twilio.accountSid,
    twilioNumber: settings.twilio.phoneNumber,
    stats: () => ({ incoming: front.incoming.length, rateLimited: { ...front.rateLimited } }),
    close: async () => {
      await server.close();
      await bridge.stop();
      await store.close();
      await paceBudget?.close();
      await front.close();
      await twilio.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const running =
  mode === "reference"
    ? await startReference()
    : mode === "reference-sqlite"
      ? await startReferenceSqlite()
      : await startBridge();
const { close, stats, ...info } = running;
process.send?.({ ready: true, ...info });
process.on("message", (message) => {
  if (message === "stop") void close().finally(() => process.exit(0));
  if (message === "stats") process.send?.({ stats: stats?.() });
});
process.on("disconnect", () => process.exit(0));
