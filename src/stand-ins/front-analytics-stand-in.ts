import { matchPath } from "../http/path-match.js";
import { createHash } from "node:crypto";
import type { RecordedRequest, Reply } from "./stand-in.js";
import {} from "./stand-in.js";

type ErrorReply = (status: number, title: string, message: string) => Reply;

export interface AnalyticsStandInOptions {
  /** GETs that still answer `running` before a report is done (default 0: done at once). */
  pollsBeforeDone?: number;
  /** Reports end `failed` instead of `done`. */
  failReports?: boolean;
  /** The token lacks `analytics:read`: every analytics call answers 403. */
  withoutScope?: boolean;
  /** The company's other inboxes, besides those of the stand-in's channels. */
  otherInboxes?: { id: string; name: string }[];
}

export interface AnalyticsStandInState extends Required<AnalyticsStandInOptions> {
  /** Reports created, in order, with the request that created each. */
  readonly reports: { uid: string; request: ReportRequest; polls: number }[];
}

interface ReportRequest {
  start: number;
  end: number;
  timezone?: string;
  filters?: { inbox_ids?: string[]; tag_ids?: string[] };
  metrics: string[];
}

export function createAnalyticsState(options: AnalyticsStandInOptions = {}): AnalyticsStandInState {
  return {
    pollsBeforeDone: options.pollsBeforeDone ?? 0,
    failReports: options.failReports ?? false,
    withoutScope: options.withoutScope ?? false,
    otherInboxes: options.otherInboxes ?? [{ id: "inb_email", name: "Support email" }],
    reports: [],
  };
}

const DAY = 86_400;
const DURATION = new Set([
  "avg_first_response_time",
  "avg_response_time",
  "avg_resolution_time",
  "avg_handle_time",
  "avg_total_reply_time",
  "avg_sla_breach_time",
]);

/**
 * Deterministic figures, so tests can assert a table: a factor k (1–9) from the inbox filter,
 * counts proportional to the days covered (Front rounds to whole days), durations in seconds.
 * A tag filter keeps three quarters of the new conversations (the first-response tag's share).
 */
export function standInFigure(metric: string, request: ReportRequest): number {
  const inboxes = [...(request.filters?.inbox_ids ?? [])].sort().join(",");
  const k = (createHash("sha256").update(inboxes).digest()[0]! % 9) + 1;
  const startDay = Math.floor(request.start / DAY);
  const days = Math.max(1, Math.ceil(request.end / DAY) - startDay);
  const tagged = (request.filters?.tag_ids?.length ?? 0) > 0;
  const figures: Record<string, number> = {
    avg_first_response_time: 300 + 60 * k + (startDay % 7) * 30,
    avg_response_time: 900 + 60 * k,
    avg_resolution_time: 3600 * k,
    avg_replies_to_resolution: (k % 3) + 1,
    num_messages_received: 10 * k * days,
    num_messages_sent: 8 * k * days,
    pct_resolved_on_first_reply: 40 + k,
    num_open_segments_end: 3 * k,
    num_active_segments_full: 5 * k * days,
    new_segments_count: (tagged ? 3 : 4) * k * days,
  };
  return figures[metric] ?? 0;
}

function reportJson(
  base: string,
  report: AnalyticsStandInState["reports"][number],
  state: AnalyticsStandInState,
) {
  const running = report.polls < state.pollsBeforeDone;
  const status = running ? "running" : state.failReports ? "failed" : "done";
  const progress = running ? Math.floor((100 * report.polls) / (state.pollsBeforeDone + 1)) : 100;
  return {
    _links: { self: `${base}/analytics/reports/${report.uid}` },
    uid: report.uid,
    status,
    progress,
    metrics:
      status === "done"
        ? report.request.metrics.map((id) => ({
            id,
            type: DURATION.has(id) ? "duration" : id.startsWith("pct_") ? "percentage" : "number",
            value: standInFigure(id, report.request),
          }))
        : [],
  };
}

/** POST /analytics/reports, GET /analytics/reports/{uid} and GET /inboxes, as Front answers them. */
export function analyticsRoute(
  request: RecordedRequest,
  state: AnalyticsStandInState,
  context: { base: string; inboxes: { id: string; name: string }[]; error: ErrorReply },
): Reply | undefined {
  const { method, path } = request;
  const { base, error } = context;
  if (method === "GET" && path === "/inboxes") {
    const inboxes = [...context.inboxes, ...state.otherInboxes].map((inbox) => ({
      _links: { self: `${base}/inboxes/${inbox.id}` },
      id: inbox.id,
      name: inbox.name,
      is_private: false,
      is_public: true,
    }));
    return {
      status: 200,
      body: { _pagination: { next: null }, _links: { self: `${base}/inboxes` }, _results: inboxes },
    };
  }
  if (!path.startsWith("/analytics/reports")) return undefined;
  if (state.withoutScope)
    return error(403, "Forbidden", "Your API token does not have the analytics:read scope");
  if (method === "POST" && path === "/analytics/reports") {
    const body = request.body as ReportRequest;
    const uid = createHash("sha256")
      .update(`${state.reports.length}:${JSON.stringify(body)}`)
      .digest("hex");
    const report = { uid, request: body, polls: 0 };
    state.reports.push(report);
    return { status: 201, body: reportJson(base, report, state) };
  }
  const params = matchPath("/analytics/reports/:uid", path);
  if (params && method === "GET") {
    const report = state.reports.find((r) => r.uid === params.uid);
    if (!report) return error(404, "Not found", `Unknown report ${params.uid}`);
    report.polls += 1;
    return { status: 200, body: reportJson(base, report, state) };
  }
  return undefined;
}
