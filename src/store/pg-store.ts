import type pg from "pg";
import { createPgFacts } from "./pg-facts.js";
import { createPgRecords } from "./pg-records.js";
import { maybe, toJob, type JobRow } from "./sqlite-rows.js";
import type { JobState, QueueSummary, Store } from "./store.js";

/**
 * The shared store's queue (the other tables: pg-records.ts): each method is one statement, so one round trip and no explicit transaction
 * (prune alone runs three bounded statements); enqueue and claim are functions of the schema
 * (pg-schema.ts) so that their lock and their test run in that one call. Several bridge instances
 * can use one database at once.
 */
export function createPgStore(pool: pg.Pool): Store {
  const pgFacts = createPgFacts(pool);
  const rows = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
    (await pool.query<R>(sql, params)).rows;
  const count = async (sql: string, params: unknown[] = []) =>
    (await pool.query(sql, params)).rowCount ?? 0;
  const jobById = async (id: number) =>
    maybe((await rows<JobRow>("SELECT * FROM jobs WHERE id = $1", [id]))[0]);

  /** Moves a job to a final or waiting state; the next job of its order key is then the oldest. */
  async function settle(
    id: number,
    now: number,
    state: JobState,
    at: number,
    error: string | null,
    result?: unknown,
    options: { uncounted?: boolean; inDoubt?: boolean } = {},
  ) {
    await pool.query(
      `UPDATE jobs SET state = $2, lease_until = NULL, lease_owner = NULL, result = $3,
        last_error = COALESCE($4, last_error), next_attempt_at = $5, updated_at = $6,
        attempts = GREATEST(0, attempts - $7),
        attempt_started_at = CASE WHEN $8 THEN attempt_started_at ELSE NULL END
      WHERE id = $1`,
      [
        id,
        state,
        result === undefined ? null : JSON.stringify(result),
        error,
        at,
        now,
        options.uncounted ? 1 : 0,
        options.inDoubt === true,
      ],
    );
  }

  return {
    enqueue: async (job, now) => {
      // The job comes back as JSON (its BIGINTs as numbers), with the same names as a row.
      const [row] = await rows<{ job: JobRow; created: boolean }>(
        "SELECT created, job FROM enqueue_job($1, $2, $3, $4, $5, $6, $7, $8)",
        [
          job.kind,
          job.dedupeKey,
          job.route,
          job.orderKey,
          JSON.stringify(job.payload),
          now,
          job.claimFor ? now + job.claimFor.ms : null,
          job.claimFor?.owner ?? null,
        ],
      );
      return { job: toJob(row!.job), created: row!.created };
    },
    claimNext: async (now, leaseMs, owner) =>
      maybe((await rows<JobRow>("SELECT * FROM claim_job($1, $2, $3)", [now, leaseMs, owner]))[0]),
    leaseOwners: async () =>
      (
        await rows<{ owner: string }>(
          "SELECT DISTINCT lease_owner AS owner FROM jobs WHERE state = 'running' AND lease_owner IS NOT NULL",
        )
      ).map((row) => row.owner),
    // A dead owner's attempts were cut off by its crash: they do not count.
    releaseLeases: (owner, now) =>
      count(
        `UPDATE jobs SET state = 'pending', lease_until = NULL, lease_owner = NULL,
          attempts = GREATEST(0, attempts - 1), next_attempt_at = $2, updated_at = $2
        WHERE state = 'running' AND lease_owner = $1`,
        [owner, now],
      ),
    startAttempt: async (id, now) =>
      void (await pool.query(
        "UPDATE jobs SET attempt_started_at = $2, updated_at = $2 WHERE id = $1",
        [id, now],
      )),
    complete: (id, now, result) => settle(id, now, "done", now, null, result),
    retryLater: (id, now, at, error, options) =>
      settle(id, now, "pending", at, error, undefined, options),
    deadLetter: (id, now, error) => settle(id, now, "dead", now, error),
    get: jobById,
    getByKey: async (key) =>
      maybe((await rows<JobRow>("SELECT * FROM jobs WHERE dedupe_key = $1", [key]))[0]),
    list: async ({ state, limit = 100 }) =>
      (
        await rows<JobRow>(
          `SELECT * FROM jobs WHERE ($1::text IS NULL OR state = $1) ORDER BY id DESC LIMIT $2`,
          [state ?? null, limit],
        )
      ).map(toJob),
    nextWakeAt: async () => {
      // Only jobs that head their order key: a follower's due time would wake every poll.
      const [row] = await rows<{ at: number | null }>(`SELECT LEAST(
        (SELECT j.next_attempt_at FROM jobs j WHERE j.state = 'pending' AND NOT EXISTS (
          SELECT 1 FROM jobs o WHERE o.order_key = j.order_key
            AND o.state IN ('pending', 'running') AND o.id < j.id)
          ORDER BY j.next_attempt_at LIMIT 1),
        (SELECT MIN(lease_until) FROM jobs WHERE state = 'running')) AS at`);
      return row?.at ?? undefined;
    },
    retryNow: async (id, now) =>
      (await count(
        `UPDATE jobs SET state = 'pending', next_attempt_at = $2, lease_until = NULL,
          lease_owner = NULL, updated_at = $2 WHERE id = $1 AND state IN ('pending', 'dead')`,
        [id, now],
      )) === 1,
    retryAllDead: (now) =>
      count(
        "UPDATE jobs SET state = 'pending', next_attempt_at = $1, updated_at = $1 WHERE state = 'dead'",
        [now],
      ),
    drop: async (id, now) =>
      (await count(
        `UPDATE jobs SET state = 'dropped', lease_until = NULL, lease_owner = NULL, updated_at = $2
          WHERE id = $1 AND state IN ('pending', 'dead')`,
        [id, now],
      )) === 1,
    summary: async () => {
      const [row] = await rows<QueueSummary>(`SELECT
        COALESCE(SUM(n) FILTER (WHERE state = 'pending'), 0) AS pending,
        COALESCE(SUM(n) FILTER (WHERE state = 'running'), 0) AS running,
        COALESCE(SUM(n) FILTER (WHERE state = 'done'), 0) AS done,
        COALESCE(SUM(n) FILTER (WHERE state = 'dead'), 0) AS dead,
        COALESCE(SUM(n) FILTER (WHERE state = 'dropped'), 0) AS dropped,
        (SELECT MIN(created_at) FROM jobs WHERE state IN ('pending', 'running')) AS "oldestPendingAt"
        FROM job_counts`);
      const summary = row!;
      for (const state of ["pending", "running", "done", "dead", "dropped"] as const)
        summary[state] = Number(summary[state]);
      return summary;
    },
    prune: async ({ payloadsBefore, keysBefore, limit }) => {
      const jobs = await count(
        `DELETE FROM jobs WHERE id IN (SELECT id FROM jobs
          WHERE state IN ('done', 'dropped') AND updated_at < $1 LIMIT $2)`,
        [keysBefore, limit],
      );
      const payloads = await count(
        `UPDATE jobs SET payload = 'null', result = NULL WHERE id IN (SELECT id FROM jobs
          WHERE state IN ('done', 'dropped') AND updated_at < $1 AND payload <> 'null' LIMIT $2)`,
        [payloadsBefore, limit],
      );
      const links = await count(
        `WITH gone AS (DELETE FROM messages WHERE twilio_sid IN (SELECT twilio_sid FROM messages
            WHERE updated_at < $1 LIMIT $3) RETURNING 1),
          early AS (DELETE FROM early_statuses WHERE (twilio_sid, status) IN (SELECT twilio_sid,
            status FROM early_statuses WHERE received_at < $2 LIMIT $3) RETURNING 1)
        SELECT 1 FROM gone UNION ALL SELECT 1 FROM early`,
        [keysBefore, payloadsBefore, limit],
      );
      // Facts go with the keys; counted with the links, as the SQLite store counts them.
      const facts = await pgFacts.pruneFacts(keysBefore, limit);
      return { jobs, payloads, links: links + facts };
    },
    recordFact: pgFacts.recordFact,
    factFigures: pgFacts.factFigures,
    ...createPgRecords(pool),
    close: () => pool.end(),
  };
}
