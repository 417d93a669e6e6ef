import type { Clock } from "../clock.js";
import { errorMessage } from "../errors.js";
import type { Logger } from "../log.js";
import { createLogThrottle } from "../log-throttle.js";
import { StoreUnavailableError } from "../store/store-faults.js";
import type { Job, JobKind, Store } from "../store/store.js";
import { backoffDelay, type BackoffOptions } from "./backoff.js";
import { classifyFailure, type Outcome } from "./outcome.js";
import { isDeadLocalOwner, processOwner } from "./owner.js";

export type JobHandler = (job: Job) => Promise<Outcome>;

export interface WorkerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  handlers: Record<JobKind, JobHandler>;
  /** Called once when a job goes to the dead letters (for example, to tell the agent). */
  onDead?: (job: Job, error: string) => Promise<void> | void;
  /** Called when a failed attempt is scheduled again. */
  onRetry?: (job: Job) => void;
  concurrency?: number;
  /** How long a claimed job stays ours; a crashed holder's jobs are picked up after it. */
  leaseMs?: number;
  /** Longest sleep between looks at the store (catches jobs from other processes). */
  pollMs?: number;
  backoff?: BackoffOptions;
  /** Retryable failures go to the dead letters once the job is this old. */
  maxAgeMs?: number;
  /** How often a repeating store fault (a full disk) is logged again, with a count. */
  faultLogIntervalMs?: number;
  /** This worker's name on its leases, and how to tell that another holder has died. */
  owner?: string;
  isDeadOwner?: (owner: string) => boolean;
  /**
   * How often to look for leases of holders that died (default 10 s): with several instances on
   * one store, one is killed while the others keep running, and its jobs should not wait for
   * their leases to run out.
   */
  recoverEveryMs?: number;
}

export interface Worker {
  start(): void;
  /** Stops claiming, lets in-flight jobs finish. */
  stop(): Promise<void>;
  /** Something was enqueued or finished: look at the store now. */
  wake(): void;
  /** Records an attempt's outcome (also used by the synchronous send path). */
  settle(job: Job, outcome: Outcome): Promise<void>;
  readonly leaseMs: number;
  readonly owner: string;
}

export function createWorker(options: WorkerOptions): Worker {
  const { store, clock, logger, handlers } = options;
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? 120_000;
  const pollMs = options.pollMs ?? 1_000;
  const maxAgeMs = options.maxAgeMs ?? 3 * 24 * 3600_000;
  const owner = options.owner ?? processOwner();
  const isDeadOwner = options.isDeadOwner ?? ((other: string) => isDeadLocalOwner(other, owner));
  const faults = createLogThrottle({
    logger,
    ...(options.faultLogIntervalMs === undefined ? {} : { intervalMs: options.faultLogIntervalMs }),
  });
  const sleepers = new Set<AbortController>();
  let loops: Promise<void>[] = [];
  let stopping = false;

  function wake() {
    for (const sleeper of sleepers) sleeper.abort();
  }

  async function settle(job: Job, outcome: Outcome) {
    const now = clock.now();
    if (outcome.kind === "done") {
      await store.complete(job.id, now, outcome.result);
    } else if (outcome.kind === "retry" && now - job.createdAt < maxAgeMs) {
      const delay = outcome.retryAfterMs ?? backoffDelay(job.attempts, options.backoff);
      await store.retryLater(job.id, now, now + delay, outcome.error, {
        ...(outcome.inDoubt ? { inDoubt: true } : {}),
        ...(outcome.uncounted ? { uncounted: true } : {}),
      });
      if (!outcome.uncounted) options.onRetry?.(job);
      logger.warn(
        `retry ${job.kind} #${job.id} in ${(delay / 1000).toFixed(1)}s: ${outcome.error}`,
      );
    } else {
      const error =
        outcome.kind === "retry"
          ? `gave up after ${Math.round(maxAgeMs / 3600_000)}h: ${outcome.error}`
          : outcome.error;
      await store.deadLetter(job.id, now, error);
      logger.error(`dead letter ${job.kind} #${job.id}: ${error}`);
      await options.onDead?.(job, error);
    }
    wake(); // the next job of the same order key may now run
  }

  async function run(job: Job) {
    let outcome: Outcome;
    try {
      outcome = await handlers[job.kind](job);
    } catch (error) {
      outcome = classifyFailure(error);
    }
    try {
      await settle(job, outcome);
    } catch (error) {
      // The store is unusable (closed or disk error); the lease will hand the job back later.
      storeFailed(`could not record job #${job.id}`, error);
    }
  }

  /** A disk fault repeats on every poll: logged once, then a count every few seconds. */
  function storeFailed(what: string, error: unknown) {
    if (error instanceof StoreUnavailableError) {
      faults.error(`store:${error.fault.code}`, `worker paused: ${error.message}`);
    } else logger.error(`${what}: ${errorMessage(error)}`);
  }

  async function idle(faulted: boolean) {
    let wakeAt: number | undefined;
    try {
      // After a store fault, wait a full poll: a job due now would be retried in a tight loop.
      wakeAt = faulted ? undefined : await store.nextWakeAt();
    } catch (error) {
      storeFailed("could not read the store", error);
    }
    const wait =
      wakeAt === undefined ? pollMs : Math.min(pollMs, Math.max(25, wakeAt - clock.now()));
    const sleeper = new AbortController();
    sleepers.add(sleeper);
    await clock.sleep(wait, sleeper.signal);
    sleepers.delete(sleeper);
  }

  async function loop() {
    while (!stopping) {
      let job: Job | undefined;
      let faulted = false;
      try {
        job = await store.claimNext(clock.now(), leaseMs, owner);
      } catch (error) {
        faulted = true;
        storeFailed("could not read the store", error);
      }
      if (job) await run(job);
      else await idle(faulted);
    }
  }

  /** Jobs a killed process was working on are resumed now, not when their leases run out. */
  async function recoverOrphans() {
    for (const other of await store.leaseOwners()) {
      if (!isDeadOwner(other)) continue;
      const count = await store.releaseLeases(other, clock.now());
      if (count > 0)
        logger.warn(`resuming ${count} job(s) left unfinished by ${other}, which stopped`);
    }
  }

  let recovery: NodeJS.Timeout | undefined;
  const recover = () =>
    recoverOrphans()
      .then(() => wake())
      .catch((error: unknown) => logger.error(`could not read the store: ${errorMessage(error)}`));

  return {
    leaseMs,
    owner,
    wake,
    settle,
    start() {
      stopping = false;
      const recovered = recover();
      recovery = setInterval(() => void recover(), options.recoverEveryMs ?? 10_000);
      recovery.unref();
      loops = Array.from({ length: concurrency }, async () => {
        await recovered;
        await loop();
      });
    },
    async stop() {
      stopping = true;
      clearInterval(recovery);
      wake();
      await Promise.all(loops);
      faults.stop();
    },
  };
}
