import asciichart from "asciichart";
import { FIGURES, formatFigure } from "../../report/figures.js";
import type { ReportData } from "../../report/gather.js";

const COLORS = [asciichart.blue, asciichart.magenta, asciichart.green, asciichart.yellow];

/** A missing figure (no conversations that day) takes its neighbour's value: asciichart has no gaps. */
function filled(values: (number | null | undefined)[]): number[] | undefined {
  const known = values.filter((v): v is number => typeof v === "number");
  if (known.length === 0) return undefined;
  let last = known[0]!;
  return values.map((v) => (typeof v === "number" ? (last = v) : last));
}

/** One terminal chart per figure of a trend, a line per column (drawn by asciichart). */
export function renderCharts(data: ReportData, options: { color: boolean }): string {
  const periods = data.trend?.periods ?? [];
  if (periods.length < 2) return "";
  const out: string[] = [];
  const legend = data.columns
    .map(
      (c, i) =>
        `${options.color ? COLORS[i % COLORS.length] : ""}${"─".repeat(3)}${options.color ? "\u001b[0m" : ""} ${c.label}`,
    )
    .join("   ");
  for (const figure of FIGURES) {
    const series = data.columns.map((c) =>
      filled(periods.map((p) => p.figures[c.id]?.[figure.key])),
    );
    // asciichart draws one column per value: each period is widened to fill about 60 columns.
    const stretch = Math.max(1, Math.floor(60 / periods.length));
    const drawn = series
      .filter((s): s is number[] => s !== undefined)
      .map((s) => s.flatMap((value) => Array<number>(stretch).fill(value)));
    if (drawn.length === 0) continue;
    const chart = asciichart.plot(drawn, {
      height: 6,
      ...(options.color ? { colors: COLORS } : {}),
      format: (value) => formatFigure(value, figure.unit).padStart(9),
    });
    out.push(
      `${figure.label} by ${data.trend!.by}, ${periods[0]!.label} → ${periods.at(-1)!.label}`,
      chart,
      "",
    );
  }
  return `${legend}\n\n${out.join("\n")}`;
}
