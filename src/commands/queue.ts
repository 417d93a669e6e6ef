import { existsSync } from "node:fs";
import { join } from "node:path";
import { BridgeError } from "../errors.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import { DEFAULT_RETENTION, pruneStore } from "../bridge/retention.js";
import { systemClock } from "../clock.js";
import { tuningFromEnv } from "../settings.js";
import type { Job, Store } from "../store/store.js";
import { loadConfig, type CommandContext } from "./context.js";

/** Opens the profile's store; the bridge may be running, SQLite (WAL) lets both work on it. */
async function withStore<T>(
  context: CommandContext,
  work: (store: Store) => Promise<T> | T,
): Promise<T> {
  const { config } = loadConfig(context);
  if (!existsSync(join(config.bridge.dataDir, "bridge.sqlite"))) {
    throw new BridgeError(
      `No store at ${config.bridge.dataDir}: the bridge has not run with this profile here.`,
      {
        hint: "Pass the data directory the bridge uses with FRONT_TWILIO_DATA_DIR (or --profile).",
      },
    );
  }
  const store = openSqliteStore(config.bridge.dataDir);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function describe(job: Job, now: number) {
  return {
    id: job.id,
    state: job.state,
    kind: job.kind,
    key: job.dedupeKey,
    attempts: job.attempts,
    nextAttemptAt: job.state === "pending" ? new Date(job.nextAttemptAt).toISOString() : null,
    nextAttemptIn:
      job.state === "pending" ? Math.max(0, Math.round((job.nextAttemptAt - now) / 1000)) : null,
    ageSeconds: Math.round((now - job.createdAt) / 1000),
    lastError: job.lastError,
  };
}

/** `queue list`: what is waiting, failing (attempts, next attempt, last error) or dead. */
export async function queueList(
  options: { json?: boolean },
  context: CommandContext,
): Promise<number> {
  const now = Date.now();
  const lists = await withStore(context, (store) =>
    Promise.all(
      (["running", "pending", "dead"] as const).map((state) => store.list({ state, limit: 500 })),
    ),
  );
  const jobs = lists.flat().map((job) => describe(job, now));
  if (options.json) {
    context.stdout.write(`${JSON.stringify(jobs, null, 2)}\n`);
    return 0;
  }
  if (jobs.length === 0) {
    context.stdout.write("The queue is empty: everything the bridge accepted was delivered.\n");
    return 0;
  }
  for (const job of jobs) {
    const when =
      job.state === "pending"
        ? job.nextAttemptIn
          ? `next try in ${job.nextAttemptIn}s`
          : "due now"
        : job.state;
    context.stdout.write(
      `#${job.id}  ${job.kind.padEnd(8)} ${job.state.padEnd(7)} ${job.key}  attempts ${job.attempts}, ${when}, age ${job.ageSeconds}s\n`,
    );
    if (job.lastError) context.stdout.write(`      last error: ${job.lastError}\n`);
  }
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
      ? `#${id} is ${job.state}; only waiting or dead jobs can be ${verb}.`
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
  const retention = tuningFromEnv(context.env).retention ?? DEFAULT_RETENTION;
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
