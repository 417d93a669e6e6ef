import type pg from "pg";
import { toMedia, type MediaRow } from "./pg-rows.js";
import { maybe, toJob, toLink, type JobRow } from "./sqlite-rows.js";
import type { EarlyStatus, JobState, QueueSummary, SeenInstance, Store } from "./store.js";

/**
 * The shared store: each method is one statement, so one round trip and no explicit transaction
 * (prune alone runs three bounded statements); enqueue and claim are functions of the schema
 * (pg-schema.ts) so that their lock and their test run in that one call. Several bridge instances
 * can use one database at once.
 */
export function createPgStore(pool: pg.Pool): Store {
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
    isOptedOut: async (customer, number) =>
      (await count("SELECT 1 FROM opt_outs WHERE customer = $1 AND twilio_number = $2", [
        customer,
        number,
      ])) > 0,
    setOptedOut: async (customer, number, value, now) =>
      void (await (value
        ? pool.query(
            `INSERT INTO opt_outs (customer, twilio_number, opted_out_at) VALUES ($1, $2, $3)
              ON CONFLICT (customer, twilio_number) DO NOTHING`,
            [customer, number, now],
          )
        : pool.query("DELETE FROM opt_outs WHERE customer = $1 AND twilio_number = $2", [
            customer,
            number,
          ]))),
    getCallerName: async (phoneNumber) => {
      const [row] = await rows<{ name: string | null; looked_up_at: number }>(
        "SELECT name, looked_up_at FROM caller_names WHERE phone_number = $1",
        [phoneNumber],
      );
      return row ? { name: row.name, lookedUpAt: row.looked_up_at } : undefined;
    },
    setCallerName: async (phoneNumber, name, now) =>
      void (await pool.query(
        `INSERT INTO caller_names (phone_number, name, looked_up_at) VALUES ($1, $2, $3)
          ON CONFLICT (phone_number) DO UPDATE SET name = excluded.name, looked_up_at = excluded.looked_up_at`,
        [phoneNumber, name, now],
      )),
    putMedia: async (media) =>
      void (await pool.query(
        `INSERT INTO media (id, job_key, content_type, bytes, expires_at) VALUES ($1, $2, $3, $4, $5)
          ON CONFLICT (id) DO UPDATE SET job_key = excluded.job_key, content_type = excluded.content_type,
            bytes = excluded.bytes, expires_at = excluded.expires_at`,
        [media.id, media.jobKey, media.contentType, media.bytes, media.expiresAt],
      )),
    getMedia: async (id) => {
      const [row] = await rows<MediaRow>("SELECT * FROM media WHERE id = $1", [id]);
      return row ? toMedia(row) : undefined;
    },
    deleteExpiredMedia: (now) => count("DELETE FROM media WHERE expires_at <= $1", [now]),
    getMeta: async (key) =>
      (await rows<{ value: string }>("SELECT value FROM meta WHERE key = $1", [key]))[0]?.value,
    setMeta: async (key, value) =>
      void (await (value === undefined
        ? pool.query("DELETE FROM meta WHERE key = $1", [key])
        : pool.query(
            `INSERT INTO meta (key, value) VALUES ($1, $2)
              ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
            [key, value],
          ))),
    linkMessage: async (link, now) =>
      void (await pool.query(
        `INSERT INTO messages (twilio_sid, route, direction, customer, front_message_id,
          front_message_uid, front_conversation_id, status, error_code, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (twilio_sid) DO UPDATE SET
          front_message_id = COALESCE(excluded.front_message_id, messages.front_message_id),
          front_message_uid = COALESCE(excluded.front_message_uid, messages.front_message_uid),
          front_conversation_id = COALESCE(excluded.front_conversation_id, messages.front_conversation_id),
          status = COALESCE(excluded.status, messages.status),
          error_code = COALESCE(excluded.error_code, messages.error_code),
          updated_at = excluded.updated_at`,
        [
          link.twilioSid,
          link.route,
          link.direction,
          link.customer,
          link.frontMessageId ?? null,
          link.frontMessageUid ?? null,
          link.frontConversationId ?? null,
          link.status ?? null,
          link.errorCode ?? null,
          now,
        ],
      )),
    findMessage: async (sid) => {
      const [row] = await rows("SELECT * FROM messages WHERE twilio_sid = $1", [sid]);
      return row ? toLink(row) : undefined;
    },
    lastFrontLink: async (customer, route) => {
      const [row] = await rows(
        `SELECT * FROM messages WHERE customer = $1 AND route = $2
          AND (front_message_uid IS NOT NULL OR front_conversation_id IS NOT NULL)
          ORDER BY updated_at DESC LIMIT 1`,
        [customer, route],
      );
      return row ? toLink(row) : undefined;
    },
    keepEarlyStatus: async (sid, early, now) =>
      void (await pool.query(
        `INSERT INTO early_statuses (twilio_sid, status, error_code, received_at)
          VALUES ($1, $2, $3, $4) ON CONFLICT (twilio_sid, status) DO NOTHING`,
        [sid, early.status, early.errorCode ?? null, now],
      )),
    // One statement reads and removes: two instances learning the sid at once split, never repeat, them.
    takeEarlyStatuses: async (sid) =>
      (
        await rows<{ status: string; error_code: number | null; received_at: number; seq: number }>(
          "DELETE FROM early_statuses WHERE twilio_sid = $1 RETURNING *",
          [sid],
        )
      )
        .sort((a, b) => a.received_at - b.received_at || a.seq - b.seq)
        .map((row): EarlyStatus =>
          row.error_code === null
            ? { status: row.status }
            : { status: row.status, errorCode: row.error_code },
        ),
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
      return { jobs, payloads, links };
    },
    heartbeat: async (instance, now) =>
      void (await pool.query(
        `INSERT INTO instances (owner, host, pid, version, started_at, last_seen)
          VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (owner) DO UPDATE SET
            host = excluded.host, pid = excluded.pid, version = excluded.version,
            started_at = excluded.started_at, last_seen = excluded.last_seen`,
        [instance.owner, instance.host, instance.pid, instance.version, instance.startedAt, now],
      )),
    instances: async (since) =>
      await rows<SeenInstance>(
        `SELECT i.owner, i.host, i.pid, i.version, i.started_at AS "startedAt",
            i.last_seen AS "lastSeen", (SELECT COUNT(*) FROM jobs WHERE state = 'running'
              AND lease_owner = i.owner)::integer AS leases
          FROM instances i WHERE i.last_seen >= $1 ORDER BY i.started_at, i.owner`,
        [since],
      ),
    close: () => pool.end(),
  };
}
