import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { startStandIns, type StandIns } from "../helpers/stand-ins.js";

/** `front-twilio report`, the built binary against the stand-ins (npm run build first). */
describe("front-twilio report (the built binary)", () => {
  let s: StandIns;
  let env: Record<string, string>;
  beforeAll(async () => {
    s = await startStandIns();
    s.front.analytics.pollsBeforeDone = 1;
    env = {
      ...s.env,
      FRONT_TWILIO_DATA_DIR: tempDir("ft-report-data-"),
      FRONT_API_TOKEN: s.front.token,
      FRONT_CHANNEL_ID: "cha_sms",
      TWILIO_PHONE_NUMBER: "+14155550100",
      FRONT_TWILIO_POLL_MS: "5",
    };
  });
  afterAll(async () => {
    expect(await s.close()).toEqual([]);
  });
  const range = ["--from", "2026-11-01", "--to", "2026-11-03", "--timezone", "Etc/UTC"];

  it("prints the table, and the same figures with --json and --csv", async () => {
    const table = await runCli(["report", ...range], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^\s+SMS \+14155550100\s+Support email$/m);
    expect(table.stdout).toMatch(/First response time\s+\d+m \d\ds\s+\d+m \d\ds/);
    // No bridge has run with this data dir: no figures of its own, rather than zeros.
    expect(table.stdout).toContain("Note: No bridge store here");
    expect(table.stdout).not.toContain("Bridge, +14155550100");
    // Progress goes to a terminal only.
    expect(table.stderr).toBe("");

    const json = await runCli(["report", ...range, "--json"], env);
    const data = JSON.parse(json.stdout) as { figures: Record<string, Record<string, number>> };
    const sms = data.figures["+14155550100|cha_sms"]!;
    expect(table.stdout).toMatch(new RegExp(`Messages received\\s+${sms.received}\\s`));

    const csv = await runCli(["report", ...range, "--csv"], env);
    expect(csv.stdout).toContain(`,SMS +14155550100,received,count,${sms.received}\n`);
    // The window is over: the second and third runs came from the cache.
    expect(JSON.parse(json.stdout)).toMatchObject({ reports: { asked: 0 } });
  });

  it("writes one self-contained page with a chart per figure and the table", async () => {
    const file = join(tempDir("ft-html-"), "report.html");
    const run = await runCli(["report", ...range, "--by", "day", "--html", file], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("First response time by day, 2026-11-01 → 2026-11-03");
    expect(run.stdout).toContain(`Wrote ${file}`);
    expect(run.stdout).toContain("Bridge, +14155550100 (from its store)");
    const html = readFileSync(file, "utf8");
    const charts = [...html.matchAll(/<div class="chart" id="chart-(\w+)"/g)].map((m) => m[1]);
    expect(charts).toEqual(
      expect.arrayContaining(["firstResponse", "received", "firstResponseTagged"]),
    );
    expect(html).toMatch(/<script>\/\*! uPlot v1\.6\.32/);
    expect(html).toContain('<pre id="report-table">');
    const data = JSON.parse(
      /<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!,
    ) as {
      charts: { key: string; x: number[] }[];
    };
    expect(data.charts.find((c) => c.key === "firstResponse")!.x).toHaveLength(3);
    // Nothing is loaded from anywhere: no URL at all, no external script, style or image.
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<(script|img|link|iframe)[^>]+(src|href)=/i);
  });

  it("exits non-zero with the scope to add when the token cannot read analytics", async () => {
    s.front.analytics.withoutScope = true;
    const run = await runCli(["report", "--since", "1d"], env);
    s.front.analytics.withoutScope = false;
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("analytics:read");
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
