import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createContext } from "../../src/commands/context.js";
import { report } from "../../src/commands/report/run.js";
import { isBridgeError } from "../../src/errors.js";
import type { ReportData } from "../../src/report/gather.js";
import { standInFigure } from "../../src/stand-ins/front-analytics-stand-in.js";
import { startFrontStandIn, type FrontStandIn } from "../../src/stand-ins/front-stand-in.js";
import { createSqliteStore } from "../../src/store/sqlite-store.js";
import type { Store } from "../../src/store/store.js";
import { cleanEnv, tempDir } from "../helpers/cli.js";
import { contractValidators } from "../helpers/contract.js";
import { capture } from "../helpers/capture.js";

const ROUTE = "+14155550100|cha_sms";

describe("report against the Front stand-in", () => {
  let front: FrontStandIn;
  let store: Store;

  async function start(analytics: Parameters<typeof startFrontStandIn>[0] = {}) {
    front = await startFrontStandIn({
      validate: (await contractValidators()).front,
      channel: { id: "cha_sms", inboxId: "inb_sms" },
      tags: { tags: ["sms-first-response-sent"] },
      ...analytics,
    });
  }
  beforeEach(() => {
    store = createSqliteStore(new Database(":memory:"));
  });
  afterEach(async () => {
    expect(front.violations).toEqual([]);
    await front.close();
    await store.close().catch(() => undefined);
  });

  async function run(args: Record<string, string | boolean>) {
    const out = capture();
    const err = capture();
    const env = cleanEnv({
      FRONT_TWILIO_CONFIG_DIR: tempDir("ft-report-"),
      FRONT_API_URL: front.url,
      FRONT_API_TOKEN: front.token,
      FRONT_CHANNEL_ID: "cha_sms",
      TWILIO_PHONE_NUMBER: "+14155550100",
      FRONT_TWILIO_POLL_MS: "5",
    });
    const context = createContext({ env, stdout: out.stream, stderr: err.stream });
    // The same in-memory store each run (its close is a no-op here), so the cache carries over.
    const shared = { ...store, close: async () => undefined };
    const code = await report({ timezone: "Etc/UTC", ...args }, context, {
      openStore: async () => shared,
      progress: true,
    });
    return { code, out: out.text(), err: err.text() };
  }

  it("waits while Front computes, showing progress, then gives Front's figures and the bridge's", async () => {
    await start({ analytics: { pollsBeforeDone: 3 } });
    await store.recordFact({
      route: ROUTE,
      kind: "inbound",
      ref: "SM1",
      at: Date.now() - 60_000,
      latencyMs: 800,
    });
    await store.recordFact({
      route: ROUTE,
      kind: "failed",
      ref: "SM2",
      at: Date.now() - 60_000,
      code: 30007,
    });
    const { code, out, err } = await run({ since: "2d", json: true });
    expect(code).toBe(0);
    const data = JSON.parse(out) as ReportData;
    expect(data.columns.map((c) => c.inboxIds)).toEqual([["inb_sms"], ["inb_email"]]);
    // Each report was fetched until done: created `running`, 2 more `running`, the 3rd `done`.
    const gets = front.requests.filter(
      (r) => r.method === "GET" && r.path.startsWith("/analytics/reports/"),
    );
    expect(gets).toHaveLength(front.analytics.reports.length * 3);
    expect(err).toMatch(/Front is computing report 1\/4… \d+%/);
    // Deterministic stand-in figures: 3 days (2d back from now, from midnight) of the SMS inbox.
    const sms = data.figures[ROUTE]!;
    expect(front.analytics.reports[0]!.request.filters!.inbox_ids).toEqual(["inb_sms"]);
    expect(sms.received).toBe(
      standInFigure("num_messages_received", front.analytics.reports[0]!.request),
    );
    expect(sms.received).toBeGreaterThan(0);
    expect(sms.firstResponseTagged).toBe(75);
    const request = front.analytics.reports[0]!.request;
    expect(request.metrics).toContain("avg_first_response_time");
    expect(request.timezone).toBe("Etc/UTC");
    expect(front.analytics.reports[1]!.request.filters!.tag_ids).toHaveLength(1);
    expect(data.bridge[0]).toMatchObject({
      inbound: 1,
      medianInboundMs: 800,
      failures: [{ code: 30007, count: 1, meaning: expect.stringMatching(/spam/) as unknown }],
    });
  });

  it("stops with a clear error when Front's report fails", async () => {
    await start({ analytics: { failReports: true, pollsBeforeDone: 1 } });
    const error = await run({ since: "1d" }).catch((e: unknown) => e);
    expect(isBridgeError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /could not compute the analytics report \(status "failed"\)/,
    );
    expect((error as { hint: string }).hint).toMatch(/shorter window/);
  });

  it("names the analytics:read scope when the token lacks it (403)", async () => {
    await start({ analytics: { withoutScope: true } });
    const error = await run({ since: "1d" }).catch((e: unknown) => e);
    expect(isBridgeError(error)).toBe(true);
    expect((error as Error).message).toMatch(/403.*analytics:read/);
    expect((error as { hint: string }).hint).toMatch(/FRONT_API_TOKEN/);
  });

  it("keeps finished periods: a second run asks Front only for what is new", async () => {
    await start();
    const first = await run({ from: "2026-11-01", to: "2026-11-07", by: "day", json: true });
    expect(first.code).toBe(0);
    const asked = front.analytics.reports.length;
    // 7 days + the whole window, 2 columns, 2 reports each (all metrics; the tag's count).
    expect(asked).toBe(8 * 2 * 2);
    expect((JSON.parse(first.out) as ReportData).trend!.periods).toHaveLength(7);

    const second = await run({ from: "2026-11-01", to: "2026-11-08", by: "day", json: true });
    const data = JSON.parse(second.out) as ReportData;
    // Only the new day and the new whole window were asked.
    expect(front.analytics.reports.length - asked).toBe(2 * 2 * 2);
    expect(data.reports).toEqual({ asked: 8, cached: 28 });
    expect(data.trend!.periods[0]!.figures[ROUTE]).toEqual(
      (JSON.parse(first.out) as ReportData).trend!.periods[0]!.figures[ROUTE],
    );
  });

  it("compares with one inbox given by --compare, and --route picks a route", async () => {
    await start();
    const { out } = await run({
      since: "1d",
      compare: "inb_sales",
      route: "+1 415 555 0100",
      csv: true,
    });
    expect(front.analytics.reports.map((r) => r.request.filters!.inbox_ids)).toContainEqual([
      "inb_sales",
    ]);
    expect(out.split("\n")[0]).toBe("section,period,column,figure,unit,value");
    expect(out).toContain(",Inbox inb_sales,received,count,");
    const error = await run({ since: "1d", route: "+14155550199" }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/--route \+14155550199/);
  });
});
