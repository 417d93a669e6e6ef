import type Database from "better-sqlite3";
import { createGroupCommit } from "./group-commit.js";
import { createFactStatements } from "./sqlite-facts.js";
import { createEarlyStatusStatements } from "./sqlite-early.js";
import { createInstanceStatements } from "./sqlite-instances.js";
import { createPruneStatements } from "./sqlite-prune.js";
import { prepareDatabase } from "./sqlite-migrate.js";
import { maybe, toJob, toLink, type JobRow } from "./sqlite-rows.js";
import type { Job, JobState, QueueSummary, Store } from "./store.js";

const UNFINISHED = "state IN ('pending', 'running')";

/**
 * The embedded store. Writes go through group commit (one transaction and one fsync for the writes
 * of one event-loop turn); reads run at once against what is committed.
 */
export function createSqliteStore(db: Database.Database): Store {
  prepareDatabase(db);
  const write = createGroupCommit(db);
  const facts = createFactStatements(db);

  // A new job heads its order key when no other job of that key is unfinished.
  const insert = db.prepare(`INSERT INTO jobs
    (kind, dedupe_key, route, order_key, payload, state, next_attempt_at, created_at, updated_at, is_head)
    VALUES (@kind, @dedupeKey, @route, @orderKey, @payload, 'pending', @now, @now, @now,
      NOT EXISTS (SELECT 1 FROM jobs WHERE order_key = @orderKey AND ${UNFINISHED}))
    ON CONFLICT (dedupe_key) DO NOTHING`);
  const byId = db.prepare<[number], JobRow>("SELECT * FROM jobs WHERE id = ?");
  const byKey = db.prepare<[string], JobRow>("SELECT * FROM jobs WHERE dedupe_key = ?");
  // Both claims walk a partial index: due heads by time, expired leases by time.
  const dueHead = db.prepare<{ now: number }, JobRow>(`SELECT * FROM jobs
    WHERE state = 'pending' AND is_head = 1 AND next_attempt_at <= @now
    ORDER BY next_attempt_at, id LIMIT 1`);
  const expiredLease = db.prepare<{ now: number }, JobRow>(`SELECT * FROM jobs
    WHERE state = 'running' AND lease_until <= @now AND is_head = 1 ORDER BY lease_until LIMIT 1`);
  // An expired lease is a holder that died mid-attempt: taking it over starts no new counted attempt.
  const lease = db.prepare(`UPDATE jobs SET state = 'running', attempts = attempts + @count,
    lease_until = @until, lease_owner = @owner, updated_at = @now WHERE id = @id`);
  const finish =
    db.prepare(`UPDATE jobs SET state = @state, lease_until = NULL, lease_owner = NULL, result = @result,
    last_error = COALESCE(@error, last_error), next_attempt_at = @at, updated_at = @now,
    attempts = MAX(0, attempts - @uncount),
    attempt_started_at = CASE WHEN @keepAttempt THEN attempt_started_at ELSE NULL END
    WHERE id = @id`);
  const markAttempt = db.prepare(
    "UPDATE jobs SET attempt_started_at = @now, updated_at = @now WHERE id = @id",
  );
  // The oldest unfinished job of an order key heads it; every other one waits.
  const electHead = db.prepare(`UPDATE jobs SET is_head = (id IS (
      SELECT MIN(id) FROM jobs WHERE order_key = @orderKey AND ${UNFINISHED}))
    WHERE order_key = @orderKey AND (${UNFINISHED} OR is_head = 1)`);
  const wakeAt = db.prepare<[], { at: number | null }>(`SELECT MIN(at) AS at FROM (
    SELECT MIN(next_attempt_at) AS at FROM jobs WHERE state = 'pending' AND is_head = 1
    UNION ALL SELECT MIN(lease_until) FROM jobs WHERE state = 'running')`);
  const owners = db.prepare<[], { owner: string }>(
    "SELECT DISTINCT lease_owner AS owner FROM jobs WHERE state = 'running' AND lease_owner IS NOT NULL",
  );
  // A dead owner's attempts were cut off by its crash: they do not count.
  const release =
    db.prepare(`UPDATE jobs SET state = 'pending', lease_until = NULL, lease_owner = NULL,
    attempts = MAX(0, attempts - 1), next_attempt_at = @now, updated_at = @now
    WHERE state = 'running' AND lease_owner = @owner`);
  const retryOne = db.prepare(`UPDATE jobs SET state = 'pending', next_attempt_at = @now,
    lease_until = NULL, lease_owner = NULL, updated_at = @now WHERE id = @id AND state IN ('pending', 'dead')`);
  const deadKeys = db.prepare<[], { order_key: string }>(
    "SELECT DISTINCT order_key FROM jobs WHERE state = 'dead'",
  );
  const retryDead = db.prepare(`UPDATE jobs SET state = 'pending', next_attempt_at = @now,
    updated_at = @now WHERE state = 'dead'`);
  const dropOne =
    db.prepare(`UPDATE jobs SET state = 'dropped', lease_until = NULL, lease_owner = NULL,
    updated_at = @now WHERE id = @id AND state IN ('pending', 'dead')`);
  const readMeta = db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?");
  const writeMeta = db.prepare(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const deleteMeta = db.prepare("DELETE FROM meta WHERE key = ?");
  const optedOut = db.prepare<[string, string], { n: number }>(
    "SELECT 1 AS n FROM opt_outs WHERE customer = ? AND twilio_number = ?",
  );
  const optOut =
    db.prepare(`INSERT INTO opt_outs (customer, twilio_number, opted_out_at) VALUES (?, ?, ?)
    ON CONFLICT (customer, twilio_number) DO NOTHING`);
  const optIn = db.prepare("DELETE FROM opt_outs WHERE customer = ? AND twilio_number = ?");
  const readName = db.prepare<[string], { name: string | null; looked_up_at: number }>(
    "SELECT name, looked_up_at FROM caller_names WHERE phone_number = ?",
  );
  const writeName =
    db.prepare(`INSERT INTO caller_names (phone_number, name, looked_up_at) VALUES (?, ?, ?)
    ON CONFLICT (phone_number) DO UPDATE SET name = excluded.name, looked_up_at = excluded.looked_up_at`);
  const insertMedia =
    db.prepare(`INSERT OR REPLACE INTO media (id, job_key, content_type, bytes, expires_at)
    VALUES (@id, @jobKey, @contentType, @bytes, @expiresAt)`);
  const readMedia = db.prepare<
    [string],
    { id: string; job_key: string; content_type: string; bytes: Buffer; expires_at: number }
  >("SELECT * FROM media WHERE id = ?");
  const expireMedia = db.prepare("DELETE FROM media WHERE expires_at <= ?");
  const counts = db.prepare<[], { state: JobState; n: number }>("SELECT state, n FROM job_counts");
  const oldest = db.prepare<[], { at: number | null }>(
    `SELECT MIN(created_at) AS at FROM jobs WHERE ${UNFINISHED}`,
  );
  const upsertLink = db.prepare(`INSERT INTO messages
    (twilio_sid, route, direction, customer, front_message_id, front_message_uid,
     front_conversation_id, status, error_code, updated_at)
    VALUES (@twilioSid, @route, @direction, @customer, @frontMessageId, @frontMessageUid,
     @frontConversationId, @status, @errorCode, @now)
    ON CONFLICT (twilio_sid) DO UPDATE SET
      front_message_id = COALESCE(excluded.front_message_id, front_message_id),
      front_message_uid = COALESCE(excluded.front_message_uid, front_message_uid),
      front_conversation_id = COALESCE(excluded.front_conversation_id, front_conversation_id),
      status = COALESCE(excluded.status, status),
      error_code = COALESCE(excluded.error_code, error_code),
      updated_at = excluded.updated_at`);
  const findLink = db.prepare<[string], Record<string, unknown>>(
    "SELECT * FROM messages WHERE twilio_sid = ?",
  );
  const lastLink = db.prepare<[string, string], Record<string, unknown>>(
    `SELECT * FROM messages WHERE customer = ? AND route = ?
      AND (front_message_uid IS NOT NULL OR front_conversation_id IS NOT NULL)
      ORDER BY updated_at DESC LIMIT 1`,
  );
  const early = createEarlyStatusStatements(db);
  const retention = createPruneStatements(db, facts);
  const instances = createInstanceStatements(db);

  /** Moves a job to a final or waiting state; a job that finishes hands its order key on. */
  function settle(
    id: number,
    now: number,
    state: JobState,
    at: number,
    error: string | null,
    result?: unknown,
    options: { uncounted?: boolean; inDoubt?: boolean } = {},
  ) {
    const resultJson = result === undefined ? null : JSON.stringify(result);
    finish.run({
      id,
      now,
      state,
      at,
      error,
      result: resultJson,
      uncount: options.uncounted ? 1 : 0,
      keepAttempt: options.inDoubt ? 1 : 0,
    });
    const row = state === "pending" ? undefined : byId.get(id);
    if (row) electHead.run({ orderKey: row.order_key });
  }

  function claim(now: number, leaseMs: number, owner: string): Job | undefined {
    const expired = expiredLease.get({ now });
    const row = expired ?? dueHead.get({ now });
    if (!row) return undefined;
    lease.run({ id: row.id, until: now + leaseMs, owner, now, count: expired ? 0 : 1 });
    return toJob(byId.get(row.id)!);
  }

  return {
    enqueue: (job, now) =>
      write(() => {
        const { changes } = insert.run({
          kind: job.kind,
          dedupeKey: job.dedupeKey,
          route: job.route,
          orderKey: job.orderKey,
          payload: JSON.stringify(job.payload),
          now,
        });
        const row = byKey.get(job.dedupeKey)!;
        const created = changes === 1;
        // A synchronous send runs at once, unless an older job of its customer is unfinished.
        if (created && job.claimFor && row.is_head === 1) {
          lease.run({
            id: row.id,
            until: now + job.claimFor.ms,
            owner: job.claimFor.owner,
            now,
            count: 1,
          });
          return { job: toJob(byId.get(row.id)!), created };
        }
        return { job: toJob(row), created };
      }),
    claimNext: (now, leaseMs, owner) => write(() => claim(now, leaseMs, owner)),
    leaseOwners: async () => owners.all().map((row) => row.owner),
    releaseLeases: (owner, now) => write(() => release.run({ owner, now }).changes),
    startAttempt: (id, now) => write(() => void markAttempt.run({ id, now })),
    complete: (id, now, result) => write(() => settle(id, now, "done", now, null, result)),
    retryLater: (id, now, at, error, options) =>
      write(() => settle(id, now, "pending", at, error, undefined, options)),
    deadLetter: (id, now, error) => write(() => settle(id, now, "dead", now, error)),
    get: async (id) => maybe(byId.get(id)),
    getByKey: async (key) => maybe(byKey.get(key)),
    list: async ({ state, limit = 100 }) =>
      db
        .prepare<[], JobRow>(
          `SELECT * FROM jobs ${state ? "WHERE state = ?" : ""} ORDER BY id DESC LIMIT ${Number(limit)}`,
        )
        .all(...((state ? [state] : []) as []))
        .map(toJob),
    nextWakeAt: async () => wakeAt.get()?.at ?? undefined,
    retryNow: (id, now) =>
      write(() => {
        if (retryOne.run({ id, now }).changes !== 1) return false;
        electHead.run({ orderKey: byId.get(id)!.order_key });
        return true;
      }),
    retryAllDead: (now) =>
      write(() => {
        const keys = deadKeys.all();
        const { changes } = retryDead.run({ now });
        for (const { order_key } of keys) electHead.run({ orderKey: order_key });
        return changes;
      }),
    drop: (id, now) =>
      write(() => {
        if (dropOne.run({ id, now }).changes !== 1) return false;
        electHead.run({ orderKey: byId.get(id)!.order_key });
        return true;
      }),
    isOptedOut: async (customer, number) => optedOut.get(customer, number) !== undefined,
    setOptedOut: (customer, number, value, now) =>
      write(() => void (value ? optOut.run(customer, number, now) : optIn.run(customer, number))),
    getCallerName: async (phoneNumber) => {
      const row = readName.get(phoneNumber);
      return row ? { name: row.name, lookedUpAt: row.looked_up_at } : undefined;
    },
    setCallerName: (phoneNumber, name, now) =>
      write(() => void writeName.run(phoneNumber, name, now)),
    putMedia: (media) => write(() => void insertMedia.run(media)),
    getMedia: async (id) => {
      const row = readMedia.get(id);
      return row
        ? {
            id: row.id,
            jobKey: row.job_key,
            contentType: row.content_type,
            bytes: row.bytes,
            expiresAt: row.expires_at,
          }
        : undefined;
    },
    deleteExpiredMedia: (now) => write(() => expireMedia.run(now).changes),
    getMeta: async (key) => readMeta.get(key)?.value,
    setMeta: (key, value) =>
      write(() => void (value === undefined ? deleteMeta.run(key) : writeMeta.run(key, value))),
    linkMessage: (link, now) =>
      write(
        () =>
          void upsertLink.run({
            frontMessageId: null,
            frontMessageUid: null,
            frontConversationId: null,
            status: null,
            errorCode: null,
            ...link,
            now,
          }),
      ),
    findMessage: async (sid) => {
      const row = findLink.get(sid);
      return row ? toLink(row) : undefined;
    },
    lastFrontLink: async (customer, route) => {
      const row = lastLink.get(customer, route);
      return row ? toLink(row) : undefined;
    },
    keepEarlyStatus: (sid, status, now) => write(() => early.keep(sid, status, now)),
    takeEarlyStatuses: async (sid) => {
      // Read first: almost every send has none, and a read costs no commit.
      const found = early.read(sid);
      if (found.length > 0) await write(() => early.forget(sid));
      return found;
    },
    summary: async (): Promise<QueueSummary> => {
      const summary: QueueSummary = {
        pending: 0,
        running: 0,
        done: 0,
        dead: 0,
        dropped: 0,
        oldestPendingAt: null,
      };
      for (const { state, n } of counts.all()) summary[state] = n;
      summary.oldestPendingAt = oldest.get()?.at ?? null;
      return summary;
    },
    recordFact: (fact) => write(() => facts.record(fact)),
    factFigures: async (route, from, to) => facts.figures(route, from, to),
    prune: (policy) => write(() => retention.prune(policy)),
    heartbeat: (instance, now) => write(() => instances.beat(instance, now)),
    instances: async (since) => instances.seen(since),
    close: async () => {
      await write(() => undefined); // what was asked before close is committed first
      db.close();
    },
  };
}
