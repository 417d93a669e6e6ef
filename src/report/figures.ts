import type { AnalyticsMetricId, AnalyticsScalar } from "../clients/front-analytics.js";

export type Unit = "seconds" | "count" | "percent" | "number";

export interface FigureDef {
  key: string;
  label: string;
  unit: Unit;
  /** The AnalyticsMetricId of Front's OpenAPI document; absent for a figure computed here. */
  metric?: AnalyticsMetricId;
}

/** The tag the Front rule adds with its automatic first reply (README "Auto first response"). */
export const FIRST_RESPONSE_TAG = "sms-first-response-sent";

/** The table's rows, in order. Front reports durations in seconds and shares in percent. */
export const FIGURES: readonly FigureDef[] = [
  {
    key: "firstResponse",
    label: "First response time",
    unit: "seconds",
    metric: "avg_first_response_time",
  },
  { key: "response", label: "Response time", unit: "seconds", metric: "avg_response_time" },
  { key: "resolution", label: "Resolution time", unit: "seconds", metric: "avg_resolution_time" },
  {
    key: "repliesToResolution",
    label: "Replies to resolution",
    unit: "number",
    metric: "avg_replies_to_resolution",
  },
  { key: "received", label: "Messages received", unit: "count", metric: "num_messages_received" },
  { key: "sent", label: "Messages sent", unit: "count", metric: "num_messages_sent" },
  {
    key: "resolvedOnFirstReply",
    label: "Resolved on first reply",
    unit: "percent",
    metric: "pct_resolved_on_first_reply",
  },
  {
    key: "open",
    label: "Open conversations (at end)",
    unit: "count",
    metric: "num_open_segments_end",
  },
  {
    key: "active",
    label: "Active conversations",
    unit: "count",
    metric: "num_active_segments_full",
  },
  {
    key: "newConversations",
    label: "New conversations",
    unit: "count",
    metric: "new_segments_count",
  },
  // Front's pct_tagged_conversations counts any tag; the share of one tag is the new conversations
  // of a report filtered on it (filters are joined with AND) over those of the unfiltered one.
  { key: "firstResponseTagged", label: `With tag ${FIRST_RESPONSE_TAG}`, unit: "percent" },
];

export const METRIC_IDS: AnalyticsMetricId[] = FIGURES.flatMap((f) => (f.metric ? [f.metric] : []));

export type Figures = Record<string, number | null>;

/** A scalar's value as a number: Front sends integers, numeric strings or null. */
export function scalarNumber(scalar: AnalyticsScalar | undefined): number | null {
  const value = scalar?.value;
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

/** The figures of a done report, plus the tag share when the tag-filtered count is known. */
export function figuresFrom(metrics: AnalyticsScalar[], taggedNew?: number | null): Figures {
  const byId = new Map(metrics.map((m) => [m.id, m]));
  const figures: Figures = {};
  for (const figure of FIGURES)
    if (figure.metric) figures[figure.key] = scalarNumber(byId.get(figure.metric));
  const all = figures.newConversations;
  figures.firstResponseTagged =
    taggedNew === undefined || taggedNew === null || !all
      ? null
      : Math.round((1000 * taggedNew) / all) / 10;
  return figures;
}

/** "1h 05m", "12m 30s", "45s": durations as a person reads them. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  if (s < 86_400)
    return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  return `${Math.floor(s / 86_400)}d ${String(Math.floor((s % 86_400) / 3600)).padStart(2, "0")}h`;
}

export function formatFigure(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined) return "–";
  if (unit === "seconds") return formatDuration(value);
  if (unit === "percent") return `${Math.round(value * 10) / 10}%`;
  if (unit === "number") return String(Math.round(value * 10) / 10);
  return String(Math.round(value));
}
