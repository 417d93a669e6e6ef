import { BridgeError } from "../errors.js";
import { openExistingStore } from "../store/open-store.js";
import { DEFAULT_RETENTION, pruneStore } from "../bridge/retention.js";
import { readUnrouted } from "../bridge/unrouted.js";
import { systemClock } from "../clock.js";
import { tuningFrom } from "../settings.js";
import type { Job, Store } from "../store/store.js";
import { loadConfig, type CommandContext } from "./context.js";

/** Opens the profile's store; the bridge may be running, SQLite (WAL) lets both work on it. */
async function withStore<T>(
  context: CommandContext,
  work: (store: Store) => Promise<T> | T,
): Promise<T> {
  const { config } = loadConfig(context);
  const store = await openExistingStore(config.bridge);
  if (!store) {
    throw new BridgeError(
      `No store at ${config.bridge.dataDir}: the bridge has not run with this profile here.`,
      {
        hint: "Pass the data directory the bridge uses with FRONT_TWILIO_DATA_DIR (or --profile).",
      },
    );
  }
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** What happened to a job, in words: the store's states are not the user's. */
const OUTCOME: Record<Job["state"], string> = {
  pending: "waiting",
  running: "sending",
  done: "delivered",
  dead: "dead",
  dropped: "dropped",
};

function describe(job: Job, now: number) {
  const reason =
    job.state === "dropped"
      ? `dropped with \`queue drop\`${job.lastError ? `; last error: ${job.lastError}` : ""}`
      : job.state === "dead"
        ? (job.lastError ?? "no reason recorded")
        : job.lastError;
  return {
    id: job.id,
    state: job.state,
    outcome: OUTCOME[job.state],
    kind: job.kind,
    key: job.dedupeKey,
    attempts: job.attempts,
    nextAttemptAt: job.state === "pending" ? new Date(job.nextAttemptAt).toISOString() : null,
    nextAttemptIn:
      job.state === "pending" ? Math.max(0, Math.round((job.nextAttemptAt - now) / 1000)) : null,
    ageSeconds: Math.round((now - job.createdAt) / 1000),
    lastError: job.lastError,
    reason: reason ?? null,
  };
}

const COLUMNS = ["JOB", "KIND", "STATE", "ATTEMPTS", "NEXT TRY", "AGE", "KEY"] as const;

/** `queue list`: what is waiting, failing or dead (and, with --all, recently delivered or dropped). */
export async function queueList(
  options: { json?: boolean; all?: boolean },
  context: CommandContext,
): Promise<number> {
  const now = Date.now();
  const states = options.all
    ? (["running", "pending", "dead", "dropped", "done"] as const)
    : (["running", "pending", "dead"] as const);
  const [lists, unrouted] = await withStore(context, (store) =>
    Promise.all([
      Promise.all(states.map((state) => store.list({ state, limit: state === "done" ? 50 : 500 }))),
      readUnrouted(store),
    ]),
  );
  const jobs = lists.flat().map((job) => describe(job, now));
  if (options.json) {
    context.stdout.write(`${JSON.stringify(jobs, null, 2)}\n`);
    return 0;
  }
  for (const entry of unrouted)
    context.stdout.write(
      `${entry.number}: ${entry.count} message(s) with no route, answered and not delivered (last ${new Date(entry.lastAt).toISOString()}, ${entry.lastSid}); add one with \`front-twilio routes add --number ${entry.number}\`\n`,
    );
  if (jobs.length === 0) {
    context.stdout.write("The queue is empty: everything the bridge accepted was delivered.\n");
    return 0;
  }
  const rows = jobs.map((job) => [
    String(job.id),
    job.kind,
    job.outcome,
    String(job.attempts),
    job.state === "pending" ? (job.nextAttemptIn ? `in ${job.nextAttemptIn}s` : "now") : "-",
    `${job.ageSeconds}s`,
    job.key,
  ]);
  const widths = COLUMNS.map((title, i) =>
    Math.max(title.length, ...rows.map((r) => r[i]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ");
  context.stdout.write(`${line(COLUMNS)}\n`);
  jobs.forEach((job, index) => {
    context.stdout.write(`${line(rows[index]!)}\n`);
    if (job.reason) context.stdout.write(`${" ".repeat(widths[0]! + 2)}reason: ${job.reason}\n`);
  });
  return 0;
}

export async function queueRetry(
  target: { id?: string; dead?: boolean },
  context: CommandContext,
): Promise<number> {
  const now = Date.now();
  if (target.dead) {
    const count = await withStore(context, (store) => store.retryAllDead(now));
    context.stdout.write(
      `${count} dead letter(s) queued again; the running bridge (or the next \`serve\`) delivers them.\n`,
    );
    return 0;
  }
  const id = jobId(target.id);
  await withStore(context, async (store) => {
    if (!(await store.retryNow(id, now))) throw await notActionable(store, id, "retried");
  });
  context.stdout.write(
    `#${id} is due now; the running bridge (or the next \`serve\`) delivers it.\n`,
  );
  return 0;
}

export async function queueDrop(idText: string, context: CommandContext): Promise<number> {
  const id = jobId(idText);
  await withStore(context, async (store) => {
    if (!(await store.drop(id, Date.now()))) throw await notActionable(store, id, "dropped");
  });
  context.stdout.write(
    `#${id} dropped: it will not be delivered (its id stays known, so a repeat is ignored too).\n`,
  );
  return 0;
}

function jobId(text: string | undefined): number {
  const id = Number(text?.replace(/^#/, ""));
  if (!Number.isInteger(id) || id <= 0) {
    throw new BridgeError(`"${text ?? ""}" is not a job id.`, {
      hint: "Use an id from `front-twilio queue list`, e.g. `front-twilio queue retry 12`.",
      exitCode: 2,
    });
  }
  return id;
}

async function notActionable(store: Store, id: number, verb: string): Promise<BridgeError> {
  const job = await store.get(id);
  return new BridgeError(
    job
      ? `#${id} is ${OUTCOME[job.state]}; only waiting or dead jobs can be ${verb}.`
      : `There is no job #${id}.`,
    {
      hint: "See `front-twilio queue list`.",
    },
  );
}

/** `queue prune`: what the bridge's housekeeping does every minute, now and to the end. */
export async function queuePrune(
  options: { json?: boolean },
  context: CommandContext,
): Promise<number> {
  const retention = tuningFrom(loadConfig(context).config).retention ?? DEFAULT_RETENTION;
  const pruned = await withStore(context, (store) => pruneStore(store, systemClock, retention));
  if (options.json) {
    context.stdout.write(`${JSON.stringify(pruned)}\n`);
    return 0;
  }
  context.stdout.write(
    `Removed the payloads of ${pruned.payloads} finished job(s) older than ${formatDays(retention.payloadMs)}, ` +
      `and ${pruned.jobs} finished job(s) and ${pruned.links} message link(s) older than ${formatDays(retention.keyMs)}.\n`,
  );
  return 0;
}

function formatDays(ms: number): string {
  const days = ms / 86_400_000;
  return days >= 1 ? `${Number(days.toFixed(1))} day(s)` : `${Math.round(ms / 60_000)} minute(s)`;
}
