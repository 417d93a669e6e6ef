import { FIGURES, formatDuration, formatFigure } from "../../report/figures.js";
import type { ReportData } from "../../report/gather.js";
import { localDate, localMidnight } from "../../report/periods.js";

const LABEL_WIDTH = 30;

function row(label: string, cells: string[], width: number): string {
  return `${label.padEnd(LABEL_WIDTH)}${cells.map((c) => c.padStart(width)).join("")}`.trimEnd();
}

/** The report as text: Front's figures side by side, then the bridge's own per route. */
export function renderTable(data: ReportData): string {
  const lines: string[] = [];
  // Dates as local days in the report's time zone; the end is exclusive, so its last day is shown.
  const zone = data.window.timezone;
  const start = Date.parse(data.window.start);
  const end = Date.parse(data.window.end);
  const until =
    end === localMidnight(localDate(end, zone), zone)
      ? ""
      : ` (until ${data.window.end.slice(11, 16)} UTC)`;
  lines.push(
    `Front analytics, ${localDate(start, zone)} → ${localDate(end - 1, zone)}${until}, days in ${zone}`,
    "",
  );
  const width = Math.max(16, ...data.columns.map((c) => c.label.length + 2));
  lines.push(
    row(
      "",
      data.columns.map((c) => c.label),
      width,
    ),
  );
  for (const figure of FIGURES)
    lines.push(
      row(
        figure.label,
        data.columns.map((c) => formatFigure(data.figures[c.id]?.[figure.key], figure.unit)),
        width,
      ),
    );
  for (const bridge of data.bridge) {
    lines.push("", `Bridge, ${bridge.twilioNumber} (from its store)`);
    const ms = (value: number | null) => (value === null ? "–" : formatDuration(value / 1000));
    lines.push(
      row("Customer messages to Front", [String(bridge.inbound)], 12),
      row("Replies delivered", [String(bridge.delivered)], 12),
      row("Replies failed", [String(bridge.failures.reduce((n, f) => n + f.count, 0))], 12),
      row("Opt-outs (STOP) / opt-ins", [`${bridge.optOuts} / ${bridge.optIns}`], 12),
      row("Median webhook → Front", [ms(bridge.medianInboundMs)], 12),
      row("Median reply → delivered", [ms(bridge.medianDeliveredMs)], 12),
    );
    for (const failure of bridge.failures)
      lines.push(
        `  ${String(failure.count).padStart(4)} × ${failure.code || "-"}: ${failure.meaning}`,
      );
  }
  if (data.notes.length) lines.push("", ...data.notes.map((note) => `Note: ${note}`));
  lines.push(
    "",
    `${data.reports.asked} Front report(s) computed now, ${data.reports.cached} from the cache.`,
  );
  return `${lines.join("\n")}\n`;
}
