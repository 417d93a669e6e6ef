import type { FrontClientOptions } from "./front.js";
import { createFrontRequester, listAll } from "./front-http.js";

/** The metric ids of Front's OpenAPI document (AnalyticsMetricId) that `report` asks for. */
export type AnalyticsMetricId =
  | "avg_first_response_time"
  | "avg_response_time"
  | "avg_resolution_time"
  | "avg_replies_to_resolution"
  | "num_messages_received"
  | "num_messages_sent"
  | "pct_resolved_on_first_reply"
  | "num_open_segments_end"
  | "num_active_segments_full"
  | "new_segments_count";

export interface AnalyticsReportRequest {
  /** Epoch seconds; Front rounds start down and end up to whole days in `timezone`. */
  start: number;
  end: number;
  timezone?: string;
  filters?: { inbox_ids?: string[]; tag_ids?: string[] };
  metrics: AnalyticsMetricId[];
}

export interface AnalyticsScalar {
  id: string;
  type: "number" | "percentage" | "string" | "duration" | "resource";
  value: number | string | { label?: string } | null;
}

export interface AnalyticsReport {
  uid: string;
  status: "running" | "done" | "failed";
  progress: number;
  metrics: AnalyticsScalar[];
}

export type FrontAnalyticsClient = ReturnType<typeof createFrontAnalyticsClient>;

/**
 * Front's analytics API (scope `analytics:read`): a report is created, then fetched until its
 * status leaves `running`. Also lists the inboxes, to compare SMS with the others.
 */
export function createFrontAnalyticsClient(options: FrontClientOptions) {
  const { request, baseUrl } = createFrontRequester({ ...options, bearer: () => options.token });
  return {
    createReport: (body: AnalyticsReportRequest) =>
      request<AnalyticsReport>("POST", "/analytics/reports", body),
    getReport: (uid: string) =>
      request<AnalyticsReport>("GET", `/analytics/reports/${encodeURIComponent(uid)}`),
    listInboxes: () => listAll<{ id: string; name: string }>(request, baseUrl, "/inboxes"),
  };
}
