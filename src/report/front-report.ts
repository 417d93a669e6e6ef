import { createHash } from "node:crypto";
import type {
  AnalyticsReport,
  AnalyticsReportRequest,
  AnalyticsScalar,
  FrontAnalyticsClient,
} from "../clients/front-analytics.js";
import { FrontApiError } from "../clients/front-errors.js";
import type { Clock } from "../clock.js";
import { UpstreamError } from "../errors.js";
import type { Store } from "../store/store.js";
import type { Pacer } from "../worker/pacer.js";

export interface FrontReportDeps {
  client: Pick<FrontAnalyticsClient, "createReport" | "getReport">;
  /** Shared by every call of one run, so many periods stay within Front's rate limits. */
  pacer: Pacer;
  clock: Clock;
  /** Time between two looks at a running report. */
  pollMs: number;
  /** Give up on a report still running after this long. */
  maxWaitMs?: number;
  /** Where finished periods are kept (`report:<hash>` meta keys), so they are asked once. */
  cache?: Pick<Store, "getMeta" | "setMeta">;
  /** Told the progress of a running report (0–100). */
  onProgress?: (progress: number) => void;
}

const RETRIES = 5;

export function cacheKey(request: AnalyticsReportRequest): string {
  return `report:${createHash("sha256").update(JSON.stringify(request)).digest("hex").slice(0, 32)}`;
}

/**
 * One Front analytics report: created, then fetched until it is done. A report over a finished
 * period cannot change any more (Front's figures for past days are final), so it is cached.
 */
export async function frontReport(
  deps: FrontReportDeps,
  request: AnalyticsReportRequest,
  finished: boolean,
): Promise<{ metrics: AnalyticsScalar[]; cached: boolean }> {
  const key = cacheKey(request);
  const kept = finished ? await deps.cache?.getMeta(key) : undefined;
  if (kept) return { metrics: JSON.parse(kept) as AnalyticsScalar[], cached: true };

  let report = await call(deps, () => deps.client.createReport(request));
  const giveUpAt = deps.clock.now() + (deps.maxWaitMs ?? 300_000);
  while (report.status === "running") {
    deps.onProgress?.(report.progress);
    if (deps.clock.now() >= giveUpAt)
      throw new UpstreamError(
        `Front's report ${report.uid} was still running after ${Math.round((deps.maxWaitMs ?? 300_000) / 1000)} s.`,
        {
          hint: "Front is busy: try again later, or a shorter window (--since 7d).",
        },
      );
    await deps.clock.sleep(deps.pollMs);
    const uid = report.uid;
    report = await call(deps, () => deps.client.getReport(uid));
  }
  deps.onProgress?.(100);
  if (report.status !== "done")
    throw new UpstreamError(
      `Front could not compute the analytics report (status "${report.status}").`,
      {
        hint:
          "Try again later, or a shorter window (--since 7d, --from/--to); if it keeps failing, ask Front support about report " +
          report.uid +
          ".",
      },
    );
  if (finished) await deps.cache?.setMeta(key, JSON.stringify(report.metrics));
  return { metrics: report.metrics, cached: false };
}

/** A call paced with the run's other calls; 429 and 5xx are waited out a few times. */
async function call(
  deps: FrontReportDeps,
  run: () => Promise<AnalyticsReport>,
): Promise<AnalyticsReport> {
  for (let attempt = 1; ; attempt++) {
    await deps.pacer.acquire("analytics");
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof FrontApiError)) throw error;
      if (!error.retryable || attempt >= RETRIES)
        throw frontFailure(error, "the analytics report", "analytics:read");
      deps.pacer.observe(error.rate);
      await deps.clock.sleep(Math.min(30_000, 500 * 2 ** attempt));
    }
  }
}

/** A Front error as the user can act on it: the scope a 403 lacks, the token a 401 refuses. */
export function frontFailure(error: FrontApiError, what: string, scope: string): UpstreamError {
  if (error.status === 403)
    return new UpstreamError(
      `Front refused ${what} (403): the API token lacks the ${scope} scope.`,
      {
        hint: `In Front, Settings → Developers → API tokens: give the token the ${scope} scope (or create one with it) and set it as front.apiToken (FRONT_API_TOKEN).`,
        cause: error,
      },
    );
  if (error.status === 401)
    return new UpstreamError(`${error.message}.`, {
      hint: "Check front.apiToken (FRONT_API_TOKEN): `front-twilio doctor` tries it.",
      cause: error,
    });
  return new UpstreamError(`Front failed on ${what}: ${error.message}.`, {
    hint: error.retryable
      ? "Try again in a minute; FRONT_API_URL must point at Front's API (or leave it unset)."
      : "This looks like a bug in front-twilio: please report it with this message.",
    cause: error,
  });
}
