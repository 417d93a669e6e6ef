import { FIGURES } from "../../report/figures.js";
import type { ReportData } from "../../report/gather.js";

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The report's figures in long form (one figure per line), so a spreadsheet can pivot them:
 * section (front, trend, bridge), period, column, figure, unit, value. Durations in seconds.
 */
export function renderCsv(data: ReportData): string {
  const rows: (string | number | null | undefined)[][] = [
    ["section", "period", "column", "figure", "unit", "value"],
  ];
  const period = `${data.window.start}/${data.window.end}`;
  const front = (section: string, label: string, figures: ReportData["figures"]) => {
    for (const column of data.columns)
      for (const figure of FIGURES)
        rows.push([
          section,
          label,
          column.label,
          figure.key,
          figure.unit,
          figures[column.id]?.[figure.key],
        ]);
  };
  front("front", period, data.figures);
  for (const p of data.trend?.periods ?? []) front("trend", p.label, p.figures);
  for (const b of data.bridge) {
    const add = (figure: string, unit: string, value: number | null) =>
      rows.push(["bridge", period, b.twilioNumber, figure, unit, value]);
    add("inbound", "count", b.inbound);
    add("delivered", "count", b.delivered);
    for (const f of b.failures) add(`failed:${f.code}`, "count", f.count);
    add("optOuts", "count", b.optOuts);
    add("optIns", "count", b.optIns);
    add("medianInbound", "seconds", b.medianInboundMs === null ? null : b.medianInboundMs / 1000);
    add(
      "medianDelivered",
      "seconds",
      b.medianDeliveredMs === null ? null : b.medianDeliveredMs / 1000,
    );
  }
  return `${rows.map((r) => r.map(cell).join(",")).join("\n")}\n`;
}
