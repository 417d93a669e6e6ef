import { existsSync, writeFileSync } from "node:fs";
import { createFrontAnalyticsClient } from "../../clients/front-analytics.js";
import { createFrontClient } from "../../clients/front.js";
import { createFrontTagsClient } from "../../clients/front-tags.js";
import { systemClock, type Clock } from "../../clock.js";
import { ConfigError, BridgeError } from "../../errors.js";
import { FrontApiError } from "../../clients/front-errors.js";
import { frontFailure } from "../../report/front-report.js";
import { gatherReport, type GatherDeps } from "../../report/gather.js";
import { checkTimezone, reportWindow } from "../../report/periods.js";
import { tuningFrom } from "../../settings.js";
import { openStore, sqliteFile } from "../../store/open-store.js";
import type { Store } from "../../store/store.js";
import { createPacer } from "../../worker/pacer.js";
import { loadConfig, type CommandContext } from "../context.js";
import { renderCharts } from "./charts.js";
import { renderCsv } from "./csv.js";
import { renderHtml } from "./html.js";
import { checkReportOptions, pickRoutes, type ReportOptions } from "./options.js";
import { reportRoutes } from "./routes.js";
import { renderTable } from "./table.js";

export interface ReportDeps {
  clock?: Clock;
  fetch?: typeof globalThis.fetch;
  /** The bridge's store (facts, and the cache of finished periods); default: the configured one. */
  openStore?: () => Promise<Store>;
  /** Whether progress goes to stderr (default: stderr is a TTY). */
  progress?: boolean;
}

/** `front-twilio report`: Front's analytics for the SMS inboxes beside the others, and the bridge's own figures. */
export async function report(
  options: ReportOptions,
  context: CommandContext,
  deps: ReportDeps = {},
): Promise<number> {
  const { by } = checkReportOptions(options);
  const { config } = loadConfig(context);
  const token = config.front.apiToken;
  if (!token)
    throw new ConfigError("report needs a Front API token with the analytics:read scope.", {
      hint: "Set front.apiToken (FRONT_API_TOKEN), e.g. with `front-twilio init`.",
    });
  const routes = pickRoutes(reportRoutes(config), options.route, config.phone.defaultCountry);
  const clock = deps.clock ?? systemClock;
  const timezone = checkTimezone(options.timezone ?? "Etc/UTC");
  const window = reportWindow(options, timezone, clock.now());
  const pacer = createPacer({ clock });
  const api = {
    token,
    baseUrl: config.api.frontUrl,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    onRateLimit: pacer.observe,
  };
  const analytics = createFrontAnalyticsClient(api);
  const tags = createFrontTagsClient(api);
  const front = createFrontClient(api);
  const progress = deps.progress ?? Boolean((context.stderr as { isTTY?: boolean }).isTTY);
  let current = "";
  const show = (text: string) => {
    if (progress) context.stderr.write(`\r\u001b[2K${text}`);
  };
  // The cache needs a store; the bridge's figures only mean something where the bridge has run.
  const bridgeRan = deps.openStore !== undefined || existsSync(sqliteFile(config.bridge.dataDir));
  const store = await (deps.openStore ?? (() => openStore(config.bridge)))();
  const gatherDeps: GatherDeps = {
    front: {
      client: analytics,
      pacer,
      clock,
      pollMs: tuningFrom(config).pollMs ?? 1_000,
      cache: store,
      onProgress: (percent) => show(`${current} ${percent}%`),
    },
    lookup: {
      listInboxes: () => explained(analytics.listInboxes(), "the list of inboxes", "inboxes:read"),
      inboxOfChannel: async (channelId) =>
        (
          await explained(front.getChannel(channelId), `channel ${channelId}`, "channels:read")
        )._links?.related?.inbox
          ?.split("/")
          .pop(),
      tagId: async (name) =>
        (await explained(tags.listTags(), "the list of tags", "tags:read")).find(
          (tag) => tag.name === name,
        )?.id,
    },
    ...(bridgeRan ? { store } : {}),
    now: clock.now,
    onReport: (index, total) => show((current = `Front is computing report ${index}/${total}…`)),
  };
  let data;
  try {
    data = await gatherReport(gatherDeps, {
      routes,
      window,
      timezone,
      ...(by ? { by } : {}),
      ...(options.compare ? { compare: options.compare } : {}),
    });
  } finally {
    if (progress) context.stderr.write("\r\u001b[2K");
    await store.close();
  }
  if (options.html) {
    try {
      writeFileSync(options.html, renderHtml(data));
    } catch (error) {
      throw new BridgeError(`Could not write ${options.html} (${(error as Error).message}).`, {
        hint: "Pass --html with a path in a directory you can write to.",
      });
    }
  }
  if (options.json) context.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else if (options.csv) context.stdout.write(renderCsv(data));
  else {
    context.stdout.write(renderTable(data));
    const color = !context.env.NO_COLOR && Boolean((context.stdout as { isTTY?: boolean }).isTTY);
    const charts = renderCharts(data, { color });
    if (charts) context.stdout.write(`\n${charts}`);
    if (options.html) context.stdout.write(`\nWrote ${options.html}\n`);
  }
  return 0;
}

/** Front's lookups fail as UpstreamErrors that name the scope to add. */
async function explained<T>(call: Promise<T>, what: string, scope: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw error instanceof FrontApiError ? frontFailure(error, what, scope) : error;
  }
}
