import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { FIGURES } from "../../report/figures.js";
import type { ReportData } from "../../report/gather.js";
import { renderTable } from "./table.js";

const require = createRequire(import.meta.url);

/** uPlot's minified build and stylesheet, inlined so the page loads nothing from anywhere. */
function uplotAssets(): { script: string; style: string } {
  const script = readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8")
    // Its banner is the only URL in the file; the licence (MIT) is named instead.
    .replace(/^\/\*![^*]*\*\//, "/*! uPlot v1.6.32 (MIT licence, Leon Sorokin) */");
  const style = readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8");
  return { script, style };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Data for a script element: JSON that cannot close the element early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/**
 * One self-contained page: the table as text, and, for a trend, one uPlot chart per figure with a
 * line per column. No external URL: scripts and styles are inline.
 */
export function renderHtml(data: ReportData): string {
  const { script, style } = uplotAssets();
  const periods = data.trend?.periods ?? [];
  const charts = FIGURES.map((figure) => ({
    key: figure.key,
    label: figure.label,
    unit: figure.unit,
    x: periods.map((p) => p.start / 1000),
    series: data.columns.map((c) => ({
      label: c.label,
      values: periods.map((p) => p.figures[c.id]?.[figure.key] ?? null),
    })),
  })).filter((chart) => chart.series.some((s) => s.values.some((v) => v !== null)));
  const title = `front-twilio report ${data.window.start.slice(0, 10)} → ${data.window.end.slice(0, 10)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>${style}
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
pre { background: #f6f6f6; padding: 1rem; overflow-x: auto; }
.chart { margin: 1.5rem 0; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<pre id="report-table">${escape(renderTable(data))}</pre>
${periods.length > 1 ? charts.map((c) => `<div class="chart" id="chart-${c.key}" data-figure="${c.key}"></div>`).join("\n") : "<p>Run with --by day or --by week for charts.</p>"}
<script>${script}</script>
<script id="report-data" type="application/json">${scriptJson({ charts, report: data })}</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];
  data.charts.forEach(function (chart) {
    var el = document.getElementById("chart-" + chart.key);
    if (!el || chart.x.length < 2) return;
    var scale = chart.unit === "seconds" ? 60 : 1;
    new uPlot({
      title: chart.label + (chart.unit === "seconds" ? " (minutes)" : chart.unit === "percent" ? " (%)" : ""),
      width: Math.min(900, window.innerWidth - 60), height: 240,
      series: [{}].concat(chart.series.map(function (s, i) {
        return { label: s.label, stroke: colors[i % colors.length], width: 2 };
      })),
    }, [chart.x].concat(chart.series.map(function (s) {
      return s.values.map(function (v) { return v === null ? null : v / scale; });
    })), el);
  });
})();
</script>
</body>
</html>
`;
}
