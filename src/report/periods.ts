import { parseDuration } from "../duration.js";
import { BridgeError } from "../errors.js";

const DAY_MS = 86_400_000;

export interface Period {
  /** The local date the period starts on (YYYY-MM-DD). */
  label: string;
  /** Epoch ms, local midnight. */
  start: number;
  /** Epoch ms, exclusive: the next period's start, or now. */
  end: number;
}

/** The offset of `timezone` from UTC at `at`, in ms (positive east of Greenwich). */
function offsetMs(at: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour"),
    part("minute"),
    part("second"),
  );
  return local - Math.floor(at / 1000) * 1000;
}

/** The local date (YYYY-MM-DD) of an instant. */
export function localDate(at: number, timezone: string): string {
  return new Date(at + offsetMs(at, timezone)).toISOString().slice(0, 10);
}

/** Epoch ms of local midnight starting `date` (YYYY-MM-DD) in `timezone`. */
export function localMidnight(date: string, timezone: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`);
  const first = guess - offsetMs(guess, timezone);
  return guess - offsetMs(first, timezone);
}

export function checkTimezone(timezone: string): string {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return timezone;
  } catch {
    throw new BridgeError(`--timezone ${timezone}: not an IANA time zone.`, {
      hint: "Use a name such as Europe/Paris, America/New_York or Etc/UTC.",
      exitCode: 2,
    });
  }
}

function parseDate(value: string, flag: string, timezone: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return localMidnight(value, timezone);
  const at = Date.parse(value);
  if (Number.isNaN(at))
    throw new BridgeError(`${flag} ${value}: expected a date such as 2026-11-01.`, { exitCode: 2 });
  return at;
}

/**
 * The window of a report: `--since 7d` (back from now), or `--from`/`--to` dates (`--to` is
 * inclusive: the whole day). Front counts whole days, so the start is moved to local midnight.
 */
export function reportWindow(
  options: { since?: string; from?: string; to?: string },
  timezone: string,
  now: number,
): { start: number; end: number; open: boolean } {
  if (options.since && (options.from || options.to))
    throw new BridgeError("--since cannot be combined with --from/--to.", {
      hint: "Use --since 7d, or --from 2026-11-01 --to 2026-11-07.",
      exitCode: 2,
    });
  const end = options.to
    ? Math.min(
        now,
        parseDate(options.to, "--to", timezone) +
          (/^\d{4}-\d{2}-\d{2}$/.test(options.to) ? DAY_MS : 0),
      )
    : now;
  const from = options.from
    ? parseDate(options.from, "--from", timezone)
    : end - parseDuration(options.since ?? "7d", "--since");
  const start = localMidnight(localDate(from, timezone), timezone);
  if (start >= end)
    throw new BridgeError("The report's window is empty: --from must be before --to and now.", {
      exitCode: 2,
    });
  return { start, end, open: end === now };
}

/** The window cut into local days or weeks (weeks start on the window's first day). */
export function splitWindow(
  window: { start: number; end: number },
  by: "day" | "week",
  timezone: string,
): Period[] {
  const periods: Period[] = [];
  let date = localDate(window.start, timezone);
  let start = localMidnight(date, timezone);
  while (start < window.end && periods.length < 400) {
    const next = new Date(Date.parse(`${date}T00:00:00Z`) + (by === "week" ? 7 : 1) * DAY_MS)
      .toISOString()
      .slice(0, 10);
    const nextStart = localMidnight(next, timezone);
    periods.push({ label: date, start, end: Math.min(nextStart, window.end) });
    date = next;
    start = nextStart;
  }
  return periods;
}
