/**
 * The SQLite store's schema, as numbered migrations: migration N brings `PRAGMA user_version` from
 * N-1 to N. Append only; never edit one that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  // 1 — the schema of 0.1.0 (which did not set user_version): jobs with dedupe keys and leases,
  // the SID ↔ Front map, metadata, opt-outs, cached caller names and short-lived media.
  `
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  route TEXT NOT NULL,
  order_key TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'dead', 'dropped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER,
  lease_owner TEXT,
  last_error TEXT,
  result TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS jobs_order ON jobs (order_key, state, id);
CREATE TABLE IF NOT EXISTS messages (
  twilio_sid TEXT PRIMARY KEY,
  route TEXT NOT NULL,
  direction TEXT NOT NULL,
  customer TEXT NOT NULL,
  front_message_id TEXT,
  front_message_uid TEXT,
  front_conversation_id TEXT,
  status TEXT,
  error_code INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS opt_outs (
  customer TEXT NOT NULL,
  twilio_number TEXT NOT NULL,
  opted_out_at INTEGER NOT NULL,
  PRIMARY KEY (customer, twilio_number)
);
CREATE TABLE IF NOT EXISTS media (
  id TEXT PRIMARY KEY,
  job_key TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes BLOB NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS caller_names (
  phone_number TEXT PRIMARY KEY,
  name TEXT,
  looked_up_at INTEGER NOT NULL
);`,

  // 2 — claims and summaries in constant time. `is_head` marks the oldest unfinished job of each
  // order key, so the claim walks a partial index of due heads instead of testing every pending
  // job against its elders; `job_counts` is kept by triggers, so a summary reads five rows.
  `
ALTER TABLE jobs ADD COLUMN is_head INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET is_head = 1 WHERE state IN ('pending', 'running') AND id = (
  SELECT MIN(id) FROM jobs older WHERE older.order_key = jobs.order_key
    AND older.state IN ('pending', 'running'));
DROP INDEX jobs_due;
CREATE INDEX jobs_due_heads ON jobs (next_attempt_at, id) WHERE state = 'pending' AND is_head = 1;
CREATE INDEX jobs_leases ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_unfinished ON jobs (created_at) WHERE state IN ('pending', 'running');
CREATE INDEX jobs_finished ON jobs (state, updated_at) WHERE state IN ('done', 'dropped');
CREATE INDEX messages_age ON messages (updated_at);
CREATE TABLE job_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO job_counts (state, n)
  SELECT value, (SELECT COUNT(*) FROM jobs WHERE jobs.state = value)
  FROM json_each('["pending","running","done","dead","dropped"]');
CREATE TRIGGER jobs_count_insert AFTER INSERT ON jobs BEGIN
  UPDATE job_counts SET n = n + 1 WHERE state = NEW.state;
END;
CREATE TRIGGER jobs_count_update AFTER UPDATE OF state ON jobs WHEN OLD.state <> NEW.state BEGIN
  UPDATE job_counts SET n = n - 1 WHERE state = OLD.state;
  UPDATE job_counts SET n = n + 1 WHERE state = NEW.state;
END;
CREATE TRIGGER jobs_count_delete AFTER DELETE ON jobs BEGIN
  UPDATE job_counts SET n = n - 1 WHERE state = OLD.state;
END;`,

  // 3 — exactly once across crashes. `attempt_started_at` is set, durably, before a request whose
  // outcome could be lost leaves (an SMS to Twilio, a message to Front) and cleared when its answer
  // is recorded: a job found with it set must first ask whether the last attempt took effect.
  // `early_statuses` keeps Twilio status callbacks for a sid the bridge has not recorded yet.
  `
ALTER TABLE jobs ADD COLUMN attempt_started_at INTEGER;
CREATE TABLE early_statuses (
  twilio_sid TEXT NOT NULL,
  status TEXT NOT NULL,
  error_code INTEGER,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (twilio_sid, status)
);
CREATE INDEX early_statuses_age ON early_statuses (received_at);
CREATE INDEX messages_customer ON messages (customer, route, updated_at);`,

  // 4 — facts for `front-twilio report`: append-only, one row per thing done (see Store.Fact),
  // kept as long as dedupe keys (key retention), read by route and time.
  `
CREATE TABLE facts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  route TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  at INTEGER NOT NULL,
  code INTEGER,
  latency_ms INTEGER,
  UNIQUE (kind, ref)
);
CREATE INDEX facts_route_at ON facts (route, at);
CREATE INDEX facts_at ON facts (at);`,

  // 5 — instances record a heartbeat, so that `status` can say which bridges run on this store
  // (one with SQLite; the PostgreSQL store has the same table).
  `
CREATE TABLE instances (
  owner TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  version TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
