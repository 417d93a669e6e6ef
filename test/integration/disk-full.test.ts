import { describe, expect, it } from "vitest";
import { startHttpServer } from "../../src/http/server.js";
import { StoreUnavailableError } from "../../src/store/store-faults.js";
import { fullDisk } from "../helpers/full-disk.js";
import { CUSTOMER, startHarness } from "../helpers/harness.js";
import { eventually } from "../helpers/net.js";
import { recordingLogger } from "../helpers/recording-logger.js";

const INTERVAL = 300;

describe("a disk that fills up while the bridge runs (simulated: the store throws SQLITE_FULL)", () => {
  it("answers webhooks 503, logs the cause once with a count of repeats, and resumes by itself", async () => {
    const disk = fullDisk();
    const h = await startHarness({
      wrapStore: disk.wrap,
      faultLogIntervalMs: INTERVAL,
      tuning: { faultLogIntervalMs: INTERVAL, pollMs: 20 },
    });
    try {
      disk.full = true;
      const webhookLines = () => h.logger.lines.filter((l) => l.includes("answered 503"));
      const started = Date.now();
      const first = await h.twilio.sendInboundSms({ from: CUSTOMER, body: "while full" });
      expect(first.status).toBe(503);
      expect(webhookLines()).toEqual([
        expect.stringMatching(
          /^error POST \/twilio answered 503: the store cannot commit: the disk is full \(SQLITE_FULL\)\. .*free disk space and the bridge resumes by itself/,
        ),
      ]);
      for (let n = 0; n < 4; n++) {
        const again = await h.twilio.sendInboundSms({ from: CUSTOMER, body: `while full ${n}` });
        expect(again.status).toBe(503);
      }
      const reply = await h.front.sendAgentMessage({ to: CUSTOMER, text: "a reply" });
      expect(reply.status).toBe(503);

      // The 5 repeats are counted, not logged: one line per interval at most says how many.
      const repeats = () =>
        webhookLines()
          .slice(1)
          .map((line) => Number(/repeated (\d+) time\(s\) in the last 300 ms\)$/.exec(line)?.[1]));
      await eventually(() => repeats().reduce((sum, n) => sum + n, 0) === 5);
      const windows = Math.ceil((Date.now() - started) / INTERVAL);
      expect(webhookLines().length).toBeLessThanOrEqual(1 + windows);
      // The worker polls every 20 ms against the full disk: a line per interval at most, too.
      const workerLines = h.logger.lines.filter((l) => l.includes("worker paused"));
      expect(workerLines.length).toBeGreaterThanOrEqual(1);
      expect(workerLines.length).toBeLessThanOrEqual(1 + windows);
      expect((await h.store.summary()).pending).toBe(0);

      disk.full = false;
      const accepted = await h.twilio.sendInboundSms({ from: CUSTOMER, body: "space is back" });
      expect(accepted.status).toBe(200);
      await eventually(() => h.front.incoming.length === 1);
      expect(h.front.incoming[0]!.message).toMatchObject({ body: "space is back" });
    } finally {
      await h.close();
    }
  });

  it("sends Retry-After with the 503", async () => {
    const server = await startHttpServer(
      () => Promise.reject(new StoreUnavailableError({ code: "SQLITE_FULL", reason: "full" })),
      { host: "127.0.0.1", port: 0, logger: recordingLogger() },
    );
    try {
      const response = await fetch(`${server.url}/twilio/sms`, { method: "POST" });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("30");
      expect(await response.json()).toEqual({
        error: "the bridge cannot store requests right now",
      });
    } finally {
      await server.close();
    }
  });

  it("still answers other errors 500", async () => {
    const server = await startHttpServer(() => Promise.reject(new Error("a bug")), {
      host: "127.0.0.1",
      port: 0,
      logger: recordingLogger(),
    });
    try {
      expect((await fetch(server.url)).status).toBe(500);
    } finally {
      await server.close();
    }
  });
});
