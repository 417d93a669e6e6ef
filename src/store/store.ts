/**
 * The durable store behind the bridge. SQLite implements it today; a shared backend can replace it
 * when several bridge instances run behind a load balancer. All times are epoch milliseconds from
 * the caller's clock, so the state machine is testable without waiting.
 */
export type JobKind = "inbound" | "outbound" | "notify" | "tag";
export type JobState = "pending" | "running" | "done" | "dead" | "dropped";

export interface Job<P = unknown> {
  id: number;
  kind: JobKind;
  /** Unique per piece of work: `in:<MessageSid>`, `out:<Front message id>:<recipient>`, `status:<sid>:<status>`. */
  dedupeKey: string;
  /** The (Twilio number, Front channel) pair the job belongs to. */
  route: string;
  /** Jobs with the same order key run one at a time, oldest first (one customer, one direction). */
  orderKey: string;
  payload: P;
  state: JobState;
  /** Attempts whose outcome counted; an attempt cut off by a crash is not one of them. */
  attempts: number;
  /**
   * Set (durably) before a request whose effect could be lost leaves, cleared when its answer is
   * recorded: when set, the last attempt may have taken effect and must be looked up first.
   */
  attemptStartedAt: number | null;
  nextAttemptAt: number;
  leaseUntil: number | null;
  /** Which worker holds the lease: `<host>:<pid>`. */
  leaseOwner: string | null;
  lastError: string | null;
  result: unknown;
  createdAt: number;
  updatedAt: number;
}

export interface NewJob {
  kind: JobKind;
  dedupeKey: string;
  route: string;
  orderKey: string;
  payload: unknown;
  /** Claim the job at once (for synchronous sends) unless an older job of its order key is unfinished. */
  claimFor?: { ms: number; owner: string };
}

export interface MessageLink {
  twilioSid: string;
  route: string;
  direction: "inbound" | "outbound";
  customer: string;
  frontMessageId?: string;
  frontMessageUid?: string;
  frontConversationId?: string;
  status?: string;
  errorCode?: number;
}

export interface StoredMedia {
  id: string;
  /** The outbound job it belongs to: served for that message only. */
  jobKey: string;
  contentType: string;
  bytes: Buffer;
  expiresAt: number;
}

export interface QueueSummary {
  pending: number;
  running: number;
  done: number;
  dead: number;
  dropped: number;
  oldestPendingAt: number | null;
}

/** What retention removes, by age: payloads of finished jobs first, their keys and links much later. */
export interface PrunePolicy {
  /** Finished (done or dropped) jobs last changed before this lose their payload and result. */
  payloadsBefore: number;
  /** Finished jobs last changed before this are deleted with their dedupe keys; links likewise. */
  keysBefore: number;
  /** At most this many rows of each kind in one call, so a prune never holds the store for long. */
  limit: number;
}

/** A Twilio status callback that arrived before the bridge recorded the message's sid. */
export interface EarlyStatus {
  status: string;
  errorCode?: number;
}

export interface RetryOptions {
  /** The attempt proved nothing about the job (it waited for certainty): it does not count. */
  uncounted?: boolean;
  /** The attempt's request may have taken effect (timeout, reset): keep attemptStartedAt. */
  inDoubt?: boolean;
}

/**
 * One thing the bridge did, kept append-only for `front-twilio report` (it outlives the jobs and
 * links that retention removes). `ref` is the Twilio MessageSid it is about: (kind, ref) is
 * unique, so recording the same fact twice (a repeated callback) keeps one.
 */
export interface Fact {
  route: string;
  /** inbound: a customer message Front accepted; delivered / failed: Twilio's final word on a reply; opt-out / opt-in: STOP / START texted. */
  kind: "inbound" | "delivered" | "failed" | "opt-out" | "opt-in";
  ref: string;
  at: number;
  /** failed: Twilio's ErrorCode (0 when it gave none). */
  code?: number;
  /** inbound: Twilio's webhook → Front's acceptance; delivered: the agent's reply → `delivered`. */
  latencyMs?: number;
}

/** What `factFigures` returns for one route over [from, to). */
export interface FactFigures {
  /** Customer messages Front accepted. */
  inbound: number;
  /** Agent replies Twilio reported delivered. */
  delivered: number;
  /** Agent replies Twilio reported failed or undelivered, by error code (0: no code), most first. */
  failures: { code: number; count: number }[];
  optOuts: number;
  optIns: number;
  /** Medians in ms; null when no fact in the window carries a time. */
  medianInboundMs: number | null;
  medianDeliveredMs: number | null;
}

export interface PruneResult {
  payloads: number;
  jobs: number;
  links: number;
}

/** A running bridge, as it records itself in the store every few seconds (its heartbeat). */
export interface InstanceInfo {
  /** Its name on leases: `<host>:<pid>`. */
  owner: string;
  host: string;
  pid: number;
  version: string;
  startedAt: number;
}

export interface SeenInstance extends InstanceInfo {
  lastSeen: number;
  /** Jobs it holds leases on now. */
  leases: number;
}

/**
 * Every method returns a promise: a write settles once it is durable (the SQLite store commits
 * writes that arrive together in one transaction), and a shared database backend fits the same shape.
 */
export interface Store {
  /** Commits the job, or finds the one already stored under its dedupe key. */
  enqueue(job: NewJob, now: number): Promise<{ job: Job; created: boolean }>;
  /** The next due job that heads its order key, leased for `leaseMs`; an expired lease is reclaimed. */
  claimNext(now: number, leaseMs: number, owner: string): Promise<Job | undefined>;
  /** Owners that hold leases now, so a starting worker can find those of crashed processes. */
  leaseOwners(): Promise<string[]>;
  /**
   * Hands the jobs of a dead owner back at once instead of waiting for their leases to expire.
   * Their cut-off attempts do not count.
   */
  releaseLeases(owner: string, now: number): Promise<number>;
  /** Records, durably, that a request with an effect is about to leave for this job. */
  startAttempt(id: number, now: number): Promise<void>;
  complete(id: number, now: number, result?: unknown): Promise<void>;
  retryLater(
    id: number,
    now: number,
    at: number,
    error: string,
    options?: RetryOptions,
  ): Promise<void>;
  deadLetter(id: number, now: number, error: string): Promise<void>;
  get(id: number): Promise<Job | undefined>;
  getByKey(dedupeKey: string): Promise<Job | undefined>;
  list(filter: { state?: JobState; limit?: number }): Promise<Job[]>;
  /** When the worker should look again: the earliest pending attempt or lease expiry. */
  nextWakeAt(): Promise<number | undefined>;
  /** An operator's retry: a dead or waiting job is due now (attempt count kept). */
  retryNow(id: number, now: number): Promise<boolean>;
  /** Every dead letter is due again; returns how many. */
  retryAllDead(now: number): Promise<number>;
  /** An operator gave up on the job; its dedupe key stays, so it is never delivered. */
  drop(id: number, now: number): Promise<boolean>;
  /** Whether `customer` texted STOP to `twilioNumber` (and not START since). */
  isOptedOut(customer: string, twilioNumber: string): Promise<boolean>;
  setOptedOut(
    customer: string,
    twilioNumber: string,
    optedOut: boolean,
    now: number,
  ): Promise<void>;
  /** A cached caller-name lookup: `name` null means "looked up, no name". */
  getCallerName(
    phoneNumber: string,
  ): Promise<{ name: string | null; lookedUpAt: number } | undefined>;
  setCallerName(phoneNumber: string, name: string | null, now: number): Promise<void>;
  /** A short-lived copy of an agent's attachment, for Twilio to fetch (outbound MMS). */
  putMedia(media: StoredMedia): Promise<void>;
  getMedia(id: string): Promise<StoredMedia | undefined>;
  /** Removes copies past their expiry; returns how many. */
  deleteExpiredMedia(now: number): Promise<number>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string | undefined): Promise<void>;
  linkMessage(link: MessageLink, now: number): Promise<void>;
  findMessage(twilioSid: string): Promise<MessageLink | undefined>;
  /**
   * The most recent message of a customer on a route that leads to its Front conversation (a
   * customer message's uid, or the conversation of an agent's reply), either direction.
   */
  lastFrontLink(customer: string, route: string): Promise<MessageLink | undefined>;
  /** Keeps a status callback for a sid not recorded yet (once per sid and status). */
  keepEarlyStatus(twilioSid: string, early: EarlyStatus, now: number): Promise<void>;
  /** The kept callbacks of a sid the bridge has just learned, oldest first; they are removed. */
  takeEarlyStatuses(twilioSid: string): Promise<EarlyStatus[]>;
  /** Counts kept with every change: constant time, whatever the size of the queue. */
  summary(): Promise<QueueSummary>;
  /** Appends one fact for `report`; a fact already recorded (same kind and ref) is kept as it was. */
  recordFact(fact: Fact): Promise<void>;
  /**
   * Counts, failures by code, opt changes and the two medians of one route's facts with
   * from <= at < to. Computed by the database over an index on (route, at), so the cost follows the
   * window's facts, not the table.
   */
  factFigures(route: string, from: number, to: number): Promise<FactFigures>;
  /** Removes what retention allows, in bounded batches (see PrunePolicy); facts go with the keys. */
  prune(policy: PrunePolicy): Promise<PruneResult>;
  /** Records that `instance` is alive at `now` (several bridges may share a PostgreSQL store). */
  heartbeat(instance: InstanceInfo, now: number): Promise<void>;
  /** The instances seen at or after `since`, oldest start first, with the leases each holds. */
  instances(since: number): Promise<SeenInstance[]>;
  close(): Promise<void>;
}
