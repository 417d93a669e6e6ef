/**
 * The PostgreSQL store's schema, as numbered migrations: migration N is recorded as version N in
 * `schema_migrations`. Append only; never edit one that has shipped. Times are epoch milliseconds
 * (BIGINT) from the bridge's clock, as in the SQLite store, so both backends share one contract.
 */
export const PG_MIGRATIONS: readonly string[] = [
  // 1 — the tables of the SQLite store, plus the shared pieces several instances need.
  `
CREATE TABLE jobs (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  route TEXT NOT NULL,
  order_key TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'dead', 'dropped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  attempt_started_at BIGINT,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT,
  lease_owner TEXT,
  last_error TEXT,
  result TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- Claims walk due pending jobs by time, and test "no older unfinished job of my order key" on
-- the second index; expired leases are found by the third.
CREATE INDEX jobs_due ON jobs (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX jobs_order ON jobs (order_key, id) WHERE state IN ('pending', 'running');
CREATE INDEX jobs_leases ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_unfinished ON jobs (created_at) WHERE state IN ('pending', 'running');
CREATE INDEX jobs_finished ON jobs (updated_at) WHERE state IN ('done', 'dropped');

-- Counts kept by a trigger so that a summary reads a few rows. They are spread over 16 slots by
-- job id: one row per state would make every concurrent enqueue wait for the previous commit.
CREATE TABLE job_counts (
  state TEXT NOT NULL,
  slot INTEGER NOT NULL,
  n BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (slot, state)
);
INSERT INTO job_counts (state, slot)
  SELECT s, g FROM unnest(ARRAY['pending','running','done','dead','dropped']) AS s,
    generate_series(0, 15) AS g;
CREATE FUNCTION jobs_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE job_counts SET n = n + 1 WHERE slot = NEW.id % 16 AND state = NEW.state;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE job_counts SET n = n - 1 WHERE slot = OLD.id % 16 AND state = OLD.state;
  ELSIF OLD.state <> NEW.state THEN
    -- One statement, so that two transitions in opposite directions lock rows in one order.
    UPDATE job_counts SET n = n + CASE WHEN state = NEW.state THEN 1 ELSE -1 END
      WHERE slot = NEW.id % 16 AND state IN (OLD.state, NEW.state);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER jobs_count AFTER INSERT OR DELETE OR UPDATE OF state ON jobs
  FOR EACH ROW EXECUTE FUNCTION jobs_count();

-- Enqueue in one round trip, answering the stored job. The order key's lock makes concurrent enqueues of one customer take
-- ids in turn, so "the oldest unfinished job" is the same for every instance; each statement of
-- a function sees what committed before it, so the head test runs after the lock is held.
CREATE FUNCTION enqueue_job(p_kind TEXT, p_key TEXT, p_route TEXT, p_order TEXT, p_payload TEXT,
  p_now BIGINT, p_lease_until BIGINT, p_owner TEXT) RETURNS TABLE (created BOOLEAN, job JSON)
LANGUAGE plpgsql AS $$
DECLARE v_row jobs;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('order:' || p_order));
  INSERT INTO jobs (kind, dedupe_key, route, order_key, payload, state, next_attempt_at,
    created_at, updated_at)
  VALUES (p_kind, p_key, p_route, p_order, p_payload, 'pending', p_now, p_now, p_now)
  ON CONFLICT (dedupe_key) DO NOTHING RETURNING * INTO v_row;
  IF v_row.id IS NULL THEN
    RETURN QUERY SELECT FALSE, row_to_json(j) FROM jobs j WHERE j.dedupe_key = p_key;
    RETURN;
  END IF;
  IF p_owner IS NOT NULL AND NOT EXISTS (SELECT 1 FROM jobs WHERE order_key = p_order
      AND state IN ('pending', 'running') AND id < v_row.id) THEN
    UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = p_lease_until,
      lease_owner = p_owner WHERE id = v_row.id RETURNING * INTO v_row;
  END IF;
  RETURN QUERY SELECT TRUE, row_to_json(v_row);
END $$;

-- Claim in one round trip: an expired lease first (its holder died mid-attempt: taking it over
-- starts no new counted attempt), else the oldest due job that heads its order key. SKIP LOCKED:
-- a job another instance is leasing right now is passed over, never waited for or taken twice.
CREATE FUNCTION claim_job(p_now BIGINT, p_lease_ms BIGINT, p_owner TEXT) RETURNS SETOF jobs
LANGUAGE plpgsql AS $$
DECLARE v_id BIGINT; v_count INTEGER := 0;
BEGIN
  SELECT j.id INTO v_id FROM jobs j
    WHERE j.state = 'running' AND j.lease_until <= p_now AND NOT EXISTS (SELECT 1 FROM jobs o
      WHERE o.order_key = j.order_key AND o.state IN ('pending', 'running') AND o.id < j.id)
    ORDER BY j.lease_until LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF v_id IS NULL THEN
    v_count := 1;
    SELECT j.id INTO v_id FROM jobs j
      WHERE j.state = 'pending' AND j.next_attempt_at <= p_now AND NOT EXISTS (SELECT 1 FROM jobs o
        WHERE o.order_key = j.order_key AND o.state IN ('pending', 'running') AND o.id < j.id)
      ORDER BY j.next_attempt_at, j.id LIMIT 1 FOR UPDATE SKIP LOCKED;
  END IF;
  IF v_id IS NULL THEN RETURN; END IF;
  RETURN QUERY UPDATE jobs SET state = 'running', attempts = attempts + v_count,
    lease_until = p_now + p_lease_ms, lease_owner = p_owner, updated_at = p_now
    WHERE id = v_id RETURNING *;
END $$;

CREATE TABLE messages (
  twilio_sid TEXT PRIMARY KEY,
  route TEXT NOT NULL,
  direction TEXT NOT NULL,
  customer TEXT NOT NULL,
  front_message_id TEXT,
  front_message_uid TEXT,
  front_conversation_id TEXT,
  status TEXT,
  error_code INTEGER,
  updated_at BIGINT NOT NULL
);
CREATE INDEX messages_age ON messages (updated_at);
CREATE INDEX messages_customer ON messages (customer, route, updated_at);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- The key of /media/<token> URLs, made here (once, under the migration lock) rather than by the
-- first bridge to start: two instances starting together would each make, and sign with, its own.
INSERT INTO meta (key, value) VALUES ('media.secret',
  replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
CREATE TABLE opt_outs (
  customer TEXT NOT NULL,
  twilio_number TEXT NOT NULL,
  opted_out_at BIGINT NOT NULL,
  PRIMARY KEY (customer, twilio_number)
);
CREATE TABLE media (
  id TEXT PRIMARY KEY,
  job_key TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes BYTEA NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX media_expiry ON media (expires_at);
CREATE TABLE caller_names (
  phone_number TEXT PRIMARY KEY,
  name TEXT,
  looked_up_at BIGINT NOT NULL
);
CREATE TABLE early_statuses (
  seq BIGSERIAL,
  twilio_sid TEXT NOT NULL,
  status TEXT NOT NULL,
  error_code INTEGER,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (twilio_sid, status)
);
CREATE INDEX early_statuses_age ON early_statuses (received_at);

-- Which bridges run on this database: each writes its row every few seconds.
CREATE TABLE instances (
  owner TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  version TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL
);

-- The pacer's budget shared by every instance: one row per call granted, per key.
CREATE TABLE pace_grants (key TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX pace_grants_key ON pace_grants (key, at);
CREATE TABLE pace_pauses (key TEXT PRIMARY KEY, until BIGINT NOT NULL);

-- One take of the shared budget, atomic under the keys' locks (taken in key order, so two takes
-- never wait on each other in a cycle): returns the earliest time every rule allows a call, and
-- records the call when that is now. The rules of the in-memory budget, on rows.
CREATE FUNCTION pace_take(p_keys TEXT[], p_limits INTEGER[], p_windows BIGINT[],
  p_intervals BIGINT[], p_now BIGINT) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE v_at BIGINT := p_now; v_key TEXT; i INTEGER; v_nth BIGINT; v_last BIGINT;
BEGIN
  FOR v_key IN SELECT k FROM unnest(p_keys) AS k ORDER BY k LOOP
    PERFORM pg_advisory_xact_lock(hashtext('pace:' || v_key));
  END LOOP;
  SELECT GREATEST(v_at, COALESCE(MAX(until), 0)) INTO v_at FROM pace_pauses;
  FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
    DELETE FROM pace_grants WHERE key = p_keys[i] AND at <= p_now - p_windows[i];
    SELECT MAX(at) INTO v_last FROM pace_grants WHERE key = p_keys[i];
    IF v_last IS NOT NULL THEN v_at := GREATEST(v_at, v_last + p_intervals[i]); END IF;
    SELECT at INTO v_nth FROM pace_grants WHERE key = p_keys[i]
      ORDER BY at DESC OFFSET p_limits[i] - 1 LIMIT 1;
    IF v_nth IS NOT NULL THEN v_at := GREATEST(v_at, v_nth + p_windows[i]); END IF;
  END LOOP;
  IF v_at <= p_now THEN
    INSERT INTO pace_grants (key, at) SELECT k, p_now FROM unnest(p_keys) AS k;
  END IF;
  RETURN v_at;
END $$;`,

  // 2 — facts for `front-twilio report` (as SQLite migration 4): one row per thing done, kept as
  // long as dedupe keys, read by route and time.
  `
CREATE TABLE facts (
  id BIGSERIAL PRIMARY KEY,
  route TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  at BIGINT NOT NULL,
  code INTEGER,
  latency_ms BIGINT,
  UNIQUE (kind, ref)
);
CREATE INDEX facts_route_at ON facts (route, at);
CREATE INDEX facts_at ON facts (at);`,
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;
