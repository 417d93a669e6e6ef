/** The SQLite store's tables: jobs (with dedupe keys and leases), the SID ↔ Front map, metadata,
 * opt-outs, cached caller names and short-lived media. */
export const SCHEMA = `
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
);`;
