import type { AnalyticsReportRequest } from "../clients/front-analytics.js";
import { explainTwilioError } from "../clients/twilio-errors.js";
import type { FactFigures, Store } from "../store/store.js";
import {
  figuresFrom,
  FIRST_RESPONSE_TAG,
  METRIC_IDS,
  scalarNumber,
  type Figures,
} from "./figures.js";
import { frontReport, type FrontReportDeps } from "./front-report.js";
import { splitWindow } from "./periods.js";

/** One bridge route, as `report` needs it (the lead's list of routes maps onto this). */
export interface ReportRoute {
  id: string;
  twilioNumber: string;
  channelId: string;
  inboxId?: string;
}

export interface ReportColumn {
  id: string;
  label: string;
  inboxIds: string[];
}

export interface BridgeFigures extends Omit<FactFigures, "failures"> {
  route: string;
  twilioNumber: string;
  failures: { code: number; count: number; meaning: string }[];
}

export interface ReportData {
  window: { start: string; end: string; timezone: string };
  columns: ReportColumn[];
  /** Figures over the whole window, by column id. */
  figures: Record<string, Figures>;
  trend?: {
    by: "day" | "week";
    periods: { label: string; start: number; figures: Record<string, Figures> }[];
  };
  bridge: BridgeFigures[];
  /** Front reports asked now, and those read from the cache. */
  reports: { asked: number; cached: number };
  notes: string[];
}

export interface GatherDeps {
  front: FrontReportDeps;
  /** Front lookups: the company's inboxes, a channel's inbox, a tag's id by name. */
  lookup: {
    listInboxes(): Promise<{ id: string; name: string }[]>;
    inboxOfChannel(channelId: string): Promise<string | undefined>;
    tagId(name: string): Promise<string | undefined>;
  };
  store?: Pick<Store, "factFigures">;
  now: () => number;
  /** Told before each Front report is asked: which, of how many. */
  onReport?: (index: number, total: number) => void;
}

export interface ReportQuery {
  routes: ReportRoute[];
  /** `open`: the window ends now (its last period is still going on). */
  window: { start: number; end: number; open: boolean };
  timezone: string;
  by?: "day" | "week";
  /** An inbox to compare with, instead of all the company's other inboxes. */
  compare?: string;
}

/** Gathers every figure of a report: Front's per column and period, then the bridge's own. */
export async function gatherReport(deps: GatherDeps, query: ReportQuery): Promise<ReportData> {
  const notes: string[] = [];
  const columns = await reportColumns(deps, query, notes);
  const tagId = await deps.lookup.tagId(FIRST_RESPONSE_TAG);
  if (!tagId)
    notes.push(
      `No tag ${FIRST_RESPONSE_TAG} in Front yet: run \`front-twilio init\` to create it.`,
    );
  const periods = query.by ? splitWindow(query.window, query.by, query.timezone) : [];
  const windows = [{ label: "all", ...query.window }, ...periods];
  const total = windows.length * columns.length * (tagId ? 2 : 1);
  const counts = { asked: 0, cached: 0 };

  const figuresOf = async (column: ReportColumn, window: { start: number; end: number }) => {
    const base: Omit<AnalyticsReportRequest, "metrics"> = {
      start: Math.floor(window.start / 1000),
      // Front rounds the end up to the end of its day: the last second inside the window.
      end: Math.floor((window.end - 1) / 1000),
      timezone: query.timezone,
      filters: { inbox_ids: column.inboxIds },
    };
    // A period that reaches now can still change; one that ended cannot, and is cached.
    const finished =
      window.end <= deps.now() && !(query.window.open && window.end === query.window.end);
    const ask = async (request: AnalyticsReportRequest) => {
      deps.onReport?.(counts.asked + counts.cached + 1, total);
      const answer = await frontReport(deps.front, request, finished);
      counts[answer.cached ? "cached" : "asked"] += 1;
      return answer.metrics;
    };
    const metrics = await ask({ ...base, metrics: METRIC_IDS });
    const tagged = tagId
      ? await ask({
          ...base,
          filters: { inbox_ids: column.inboxIds, tag_ids: [tagId] },
          metrics: ["new_segments_count"],
        })
      : undefined;
    return figuresFrom(
      metrics,
      tagged && scalarNumber(tagged.find((m) => m.id === "new_segments_count")),
    );
  };

  const figures: Record<string, Figures> = {};
  for (const column of columns) figures[column.id] = await figuresOf(column, query.window);
  const trend = query.by
    ? {
        by: query.by,
        periods: await sequence(periods, async (period) => {
          const byColumn: Record<string, Figures> = {};
          for (const column of columns) byColumn[column.id] = await figuresOf(column, period);
          return { label: period.label, start: period.start, figures: byColumn };
        }),
      }
    : undefined;

  const bridge: BridgeFigures[] = [];
  if (deps.store) {
    for (const route of query.routes) {
      const facts = await deps.store.factFigures(route.id, query.window.start, query.window.end);
      bridge.push({
        route: route.id,
        twilioNumber: route.twilioNumber,
        ...facts,
        failures: facts.failures.map((f) => ({
          ...f,
          meaning: explainTwilioError(f.code || undefined, "no error code given"),
        })),
      });
    }
  } else
    notes.push(
      "No bridge store here: the bridge's own figures need the data dir where `serve` runs.",
    );

  return {
    window: {
      start: new Date(query.window.start).toISOString(),
      end: new Date(query.window.end).toISOString(),
      timezone: query.timezone,
    },
    columns,
    figures,
    ...(trend ? { trend } : {}),
    bridge,
    reports: counts,
    notes,
  };
}

async function sequence<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await run(item));
  return results;
}

/** One column per route's SMS inbox, then the comparison: --compare, or every other inbox. */
async function reportColumns(
  deps: GatherDeps,
  query: ReportQuery,
  notes: string[],
): Promise<ReportColumn[]> {
  const columns: ReportColumn[] = [];
  for (const route of query.routes) {
    const inbox = route.inboxId ?? (await deps.lookup.inboxOfChannel(route.channelId));
    if (!inbox) {
      notes.push(
        `Route ${route.twilioNumber}: channel ${route.channelId} has no inbox in Front; skipped.`,
      );
      continue;
    }
    columns.push({ id: route.id, label: `SMS ${route.twilioNumber}`, inboxIds: [inbox] });
  }
  const sms = new Set(columns.flatMap((c) => c.inboxIds));
  if (query.compare) {
    columns.push({ id: "compare", label: `Inbox ${query.compare}`, inboxIds: [query.compare] });
  } else {
    const others = (await deps.lookup.listInboxes()).filter((inbox) => !sms.has(inbox.id));
    if (others.length > 0)
      columns.push({
        id: "compare",
        label: others.length === 1 ? others[0]!.name : `Other inboxes (${others.length})`,
        inboxIds: others.map((i) => i.id),
      });
    else notes.push("The company has no other inbox to compare SMS with.");
  }
  return columns;
}
