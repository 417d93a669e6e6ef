import { networkInterfaces } from "node:os";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { createContext } from "../../src/commands/context.js";
import { status } from "../../src/commands/status.js";
import { BridgeError } from "../../src/errors.js";
import type { AdminAccessOptions } from "../../src/http/admin-access.js";
import { createRouter } from "../../src/http/router.js";
import { startHttpServer, type RunningServer } from "../../src/http/server.js";
import { silentLogger } from "../../src/log.js";
import { createMetrics } from "../../src/metrics.js";
import { healthzHandler } from "../../src/handlers/healthz.js";
import { metricsHandler } from "../../src/handlers/metrics.js";
import { createSqliteStore } from "../../src/store/sqlite-store.js";
import { makeRoute } from "../../src/types.js";
import { tempDir } from "../helpers/cli.js";

const TOKEN = "admin-token-for-tests-0123456789";
const route = makeRoute("+14155550100", "cha_test");

/** An address of this machine that is not loopback: a real remote-looking client, if there is one. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

describe("/healthz and /metrics are for operators only", () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(admin: AdminAccessOptions) {
    const store = createSqliteStore(new Database(":memory:"));
    const metrics = createMetrics({ store, clock: systemClock });
    const handle = createRouter([
      {
        method: "GET",
        path: "/healthz",
        handler: healthzHandler({
          store,
          clock: systemClock,
          mode: "custom",
          routes: [route],
          startedAt: 0,
          admin,
        }),
      },
      { method: "GET", path: "/metrics", handler: metricsHandler({ metrics, admin }) },
    ]);
    server = await startHttpServer(handle, { host: "0.0.0.0", port: 0, logger: silentLogger });
    return server;
  }

  const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

  describe("with bridge.adminToken set", () => {
    it("/healthz says only that the bridge is up without credentials, everything with the token", async () => {
      const { url } = await start({ token: TOKEN });
      const anonymous = await get(`${url}/healthz`);
      expect(anonymous.status).toBe(200);
      expect(await anonymous.text()).toBe('{"status":"ok"}');

      const wrong = await get(`${url}/healthz`, { authorization: "Bearer nope" });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get("www-authenticate")).toBe('Bearer realm="front-twilio"');

      const right = await get(`${url}/healthz`, { authorization: `Bearer ${TOKEN}` });
      expect(await right.json()).toMatchObject({
        status: "ok",
        mode: "custom",
        routes: [{ twilioNumber: "+14155550100", channelId: "cha_test" }],
        queue: { pending: 0 },
      });
    });

    it("/metrics needs the token, even from this machine", async () => {
      const { url } = await start({ token: TOKEN });
      for (const headers of [{}, { authorization: "Bearer nope" }, { authorization: TOKEN }]) {
        const refused = await get(`${url}/metrics`, headers);
        expect(refused.status).toBe(401);
        expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="front-twilio"');
        expect(await refused.text()).not.toContain("front_twilio");
      }
      const right = await get(`${url}/metrics`, { authorization: `bearer ${TOKEN}` });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain("front_twilio_queue_depth");
    });

    it("front-twilio status sends the configured token", async () => {
      const { url } = await start({ token: TOKEN });
      const run = async (env: Record<string, string>) => {
        let out = "";
        const context = createContext({
          env: { FRONT_TWILIO_CONFIG_DIR: tempDir(), ...env },
          stdout: { write: (chunk: string) => ((out += chunk), true) } as NodeJS.WritableStream,
        });
        const code = await status({ url }, context);
        return { code, out };
      };
      const read = await run({ FRONT_TWILIO_ADMIN_TOKEN: TOKEN });
      expect(read.code).toBe(0);
      expect(read.out).toMatch(/Queue depth\s+0/);
      const refused = await run({}).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(BridgeError);
      expect((refused as BridgeError).message).toBe(`${url}/metrics refused the request (401).`);
      expect((refused as BridgeError).hint).toContain("FRONT_TWILIO_ADMIN_TOKEN");
    });
  });

  describe("without an admin token (the default): details and metrics for local clients only", () => {
    it("answers a loopback client in full", async () => {
      const { port } = await start({});
      const health = await get(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toMatchObject({ mode: "custom", queue: { pending: 0 } });
      expect((await get(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    });

    it("treats a loopback client that forwards someone else (a proxy or tunnel) as remote", async () => {
      const { port } = await start({});
      const forwarded = { "x-forwarded-for": "203.0.113.9" };
      const health = await get(`http://127.0.0.1:${port}/healthz`, forwarded);
      expect(await health.text()).toBe('{"status":"ok"}');
      expect((await get(`http://127.0.0.1:${port}/metrics`, forwarded)).status).toBe(403);
    });

    it("behind the dev tunnel (loopback off) nobody gets details without a token", async () => {
      const { port } = await start({ loopback: false });
      expect(await (await get(`http://127.0.0.1:${port}/healthz`)).text()).toBe('{"status":"ok"}');
      expect((await get(`http://127.0.0.1:${port}/metrics`)).status).toBe(403);
    });

    // A real non-loopback client: this machine's own network address, so the socket's peer is not
    // 127.0.0.1. Skipped where the machine has no such interface.
    it.skipIf(!external)(
      "answers a client from the network only that the bridge is up",
      async () => {
        const { port } = await start({});
        const health = await get(`http://${external}:${port}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.text()).toBe('{"status":"ok"}');
        const metrics = await get(`http://${external}:${port}/metrics`);
        expect(metrics.status).toBe(403);
        const { error } = (await metrics.json()) as { error: string };
        expect(error).toContain("set bridge.adminToken (FRONT_TWILIO_ADMIN_TOKEN)");
      },
    );
  });
});
