import { describe, expect, it } from "vitest";
import { renderCharts } from "../../src/commands/report/charts.js";
import { renderCsv } from "../../src/commands/report/csv.js";
import { renderTable } from "../../src/commands/report/table.js";
import {
  figuresFrom,
  formatDuration,
  formatFigure,
  METRIC_IDS,
  scalarNumber,
} from "../../src/report/figures.js";
import type { ReportData } from "../../src/report/gather.js";
import { localMidnight, reportWindow, splitWindow } from "../../src/report/periods.js";
import { firstResponseRule } from "../../src/setup/first-response.js";

describe("report figures", () => {
  it("reads Front's scalars: integers, numeric strings, null", () => {
    expect(scalarNumber({ id: "x", type: "number", value: 12 })).toBe(12);
    expect(scalarNumber({ id: "x", type: "duration", value: "90.5" })).toBe(90.5);
    expect(scalarNumber({ id: "x", type: "number", value: null })).toBeNull();
    expect(scalarNumber({ id: "x", type: "string", value: "n/a" })).toBeNull();
    expect(scalarNumber(undefined)).toBeNull();
  });

  it("asks Front's metric ids exactly, and computes the tag's share of new conversations", () => {
    expect(METRIC_IDS).toContain("avg_first_response_time");
    expect(METRIC_IDS).toContain("pct_resolved_on_first_reply");
    expect(METRIC_IDS).toContain("num_active_segments_full");
    const metrics = [
      { id: "avg_first_response_time", type: "duration" as const, value: 600 },
      { id: "new_segments_count", type: "number" as const, value: 40 },
    ];
    expect(figuresFrom(metrics, 30)).toMatchObject({
      firstResponse: 600,
      newConversations: 40,
      firstResponseTagged: 75,
    });
    expect(figuresFrom(metrics).firstResponseTagged).toBeNull();
    expect(
      figuresFrom([{ id: "new_segments_count", type: "number", value: 0 }], 0).firstResponseTagged,
    ).toBeNull();
  });

  it("formats durations, shares and counts for a person", () => {
    expect(formatDuration(45)).toBe("45s");
    expect(formatDuration(750)).toBe("12m 30s");
    expect(formatDuration(3_900)).toBe("1h 05m");
    expect(formatDuration(90_000)).toBe("1d 01h");
    expect(formatFigure(43.25, "percent")).toBe("43.3%");
    expect(formatFigure(1.25, "number")).toBe("1.3");
    expect(formatFigure(null, "count")).toBe("–");
  });
});

describe("report periods", () => {
  const now = Date.parse("2026-11-30T10:20:00Z");

  it("starts --since at local midnight, as Front counts whole days", () => {
    const window = reportWindow({ since: "3d" }, "Etc/UTC", now);
    expect(new Date(window.start).toISOString()).toBe("2026-11-27T00:00:00.000Z");
    expect(window).toMatchObject({ end: now, open: true });
    const paris = reportWindow({ since: "1d" }, "Europe/Paris", now);
    expect(new Date(paris.start).toISOString()).toBe("2026-11-28T23:00:00.000Z");
  });

  it("takes --to as a whole day and refuses mixed or empty windows", () => {
    const window = reportWindow({ from: "2026-11-01", to: "2026-11-07" }, "Etc/UTC", now);
    expect(new Date(window.end).toISOString()).toBe("2026-11-08T00:00:00.000Z");
    expect(window.open).toBe(false);
    expect(() => reportWindow({ since: "7d", from: "2026-11-01" }, "Etc/UTC", now)).toThrow(
      /--since/,
    );
    expect(() => reportWindow({ from: "2026-12-01" }, "Etc/UTC", now)).toThrow(/empty/);
    expect(() => reportWindow({ from: "yesterday" }, "Etc/UTC", now)).toThrow(/--from/);
  });

  it("cuts days and weeks at local midnight, across a DST change", () => {
    expect(new Date(localMidnight("2026-03-29", "Europe/Paris")).toISOString()).toBe(
      "2026-03-28T23:00:00.000Z",
    );
    expect(new Date(localMidnight("2026-03-30", "Europe/Paris")).toISOString()).toBe(
      "2026-03-29T22:00:00.000Z",
    );
    const days = splitWindow(
      {
        start: localMidnight("2026-03-28", "Europe/Paris"),
        end: localMidnight("2026-03-31", "Europe/Paris"),
      },
      "day",
      "Europe/Paris",
    );
    expect(days.map((d) => d.label)).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(days[1]!.end - days[1]!.start).toBe(23 * 3_600_000);
    const weeks = splitWindow(
      { start: Date.parse("2026-11-01T00:00:00Z"), end: now },
      "week",
      "Etc/UTC",
    );
    expect(weeks.map((w) => w.label)).toEqual([
      "2026-11-01",
      "2026-11-08",
      "2026-11-15",
      "2026-11-22",
      "2026-11-29",
    ]);
    expect(weeks.at(-1)!.end).toBe(now);
  });
});

const DATA: ReportData = {
  window: {
    start: "2026-11-27T00:00:00.000Z",
    end: "2026-11-30T10:20:00.000Z",
    timezone: "Etc/UTC",
  },
  columns: [
    { id: "r1", label: "SMS +14155550100", inboxIds: ["inb_sms"] },
    { id: "compare", label: "Support email", inboxIds: ["inb_email"] },
  ],
  figures: {
    r1: { firstResponse: 510, received: 120, resolvedOnFirstReply: 43, firstResponseTagged: 75 },
    compare: {
      firstResponse: 750,
      received: 280,
      resolvedOnFirstReply: 47,
      firstResponseTagged: null,
    },
  },
  trend: {
    by: "day",
    periods: [
      {
        label: "2026-11-27",
        start: Date.parse("2026-11-27T00:00:00Z"),
        figures: { r1: { firstResponse: 500 }, compare: { firstResponse: 700 } },
      },
      {
        label: "2026-11-28",
        start: Date.parse("2026-11-28T00:00:00Z"),
        figures: { r1: { firstResponse: null }, compare: { firstResponse: 800 } },
      },
    ],
  },
  bridge: [
    {
      route: "r1",
      twilioNumber: "+14155550100",
      inbound: 118,
      delivered: 90,
      failures: [
        { code: 30007, count: 2, meaning: "the carrier filtered the message as spam, or not" },
      ],
      optOuts: 2,
      optIns: 0,
      medianInboundMs: 1_200,
      medianDeliveredMs: null,
    },
  ],
  reports: { asked: 4, cached: 8 },
  notes: [],
};

describe("report output", () => {
  it("puts SMS beside the comparison in the table, and the bridge's figures under it", () => {
    const table = renderTable(DATA);
    expect(table).toMatch(/First response time\s+8m 30s\s+12m 30s/);
    expect(table).toMatch(/Messages received\s+120\s+280/);
    expect(table).toMatch(/With tag sms-first-response-sent\s+75%\s+–/);
    expect(table).toMatch(/Customer messages to Front\s+118/);
    expect(table).toMatch(/Median webhook → Front\s+1s/);
    expect(table).toMatch(/Median reply → delivered\s+–/);
    expect(table).toContain("2 × 30007: the carrier filtered");
    expect(table).toContain("4 Front report(s) computed now, 8 from the cache.");
  });

  it("gives the same figures as CSV, quoting what needs it", () => {
    const lines = renderCsv(DATA).trim().split("\n");
    expect(lines[0]).toBe("section,period,column,figure,unit,value");
    expect(lines).toContain(
      "front,2026-11-27T00:00:00.000Z/2026-11-30T10:20:00.000Z,SMS +14155550100,firstResponse,seconds,510",
    );
    expect(lines).toContain("trend,2026-11-28,Support email,firstResponse,seconds,800");
    expect(lines).toContain("trend,2026-11-28,SMS +14155550100,firstResponse,seconds,");
    expect(lines).toContain(
      "bridge,2026-11-27T00:00:00.000Z/2026-11-30T10:20:00.000Z,+14155550100,failed:30007,count,2",
    );
    expect(lines).toContain(
      "bridge,2026-11-27T00:00:00.000Z/2026-11-30T10:20:00.000Z,+14155550100,medianInbound,seconds,1.2",
    );
  });

  it("draws a chart per figure of a trend with asciichart", () => {
    const charts = renderCharts(DATA, { color: false });
    expect(charts).toContain("First response time by day, 2026-11-27 → 2026-11-28");
    expect(charts).toContain("13m 20s"); // the highest value, on the axis
    expect(charts).toMatch(/[┼┤]/);
    expect(
      renderCharts({ ...DATA, trend: undefined } as unknown as ReportData, { color: false }),
    ).toBe("");
  });
});

describe("first-response rule detection", () => {
  it("needs one rule that both replies and adds the tag", () => {
    const rule = (name: string, actions: string[]) => ({
      id: name,
      name,
      actions,
      is_private: false,
    });
    expect(
      firstResponseRule([rule("a", ["Send auto-reply Hi", "Tag with sms-first-response-sent"])])
        ?.name,
    ).toBe("a");
    expect(
      firstResponseRule([
        rule("b", ["Tag with sms-first-response-sent"]),
        rule("c", ["Send auto-reply Hi"]),
      ]),
    ).toBeUndefined();
    expect(firstResponseRule([rule("d", ["Assign to Pam", "Tag with VIP"])])).toBeUndefined();
  });
});
