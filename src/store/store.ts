/**
 * The durable store behind the bridge. SQLite implements it today; a shared backend can replace it
 * when several bridge instances run behind a load balancer. All times are epoch milliseconds from
 * the caller's clock, so the state machine is testable without waiting.
 */
export type JobKind = "inbound" | "outbound" | "notify";
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
  attempts: number;
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

export interface Store {
  /** Commits the job, or finds the one already stored under its dedupe key. */
  enqueue(job: NewJob, now: number): { job: Job; created: boolean };
  /** The next due job that heads its order key, leased for `leaseMs`; an expired lease is reclaimed. */
  claimNext(now: number, leaseMs: number, owner: string): Job | undefined;
  /** Owners that hold leases now, so a starting worker can find those of crashed processes. */
  leaseOwners(): string[];
  /** Hands the jobs of a dead owner back at once instead of waiting for their leases to expire. */
  releaseLeases(owner: string, now: number): number;
  complete(id: number, now: number, result?: unknown): void;
  retryLater(id: number, now: number, at: number, error: string): void;
  deadLetter(id: number, now: number, error: string): void;
  get(id: number): Job | undefined;
  getByKey(dedupeKey: string): Job | undefined;
  list(filter: { state?: JobState; limit?: number }): Job[];
  /** When the worker should look again: the earliest pending attempt or lease expiry. */
  nextWakeAt(): number | undefined;
  /** An operator's retry: a dead or waiting job is due now (attempt count kept). */
  retryNow(id: number, now: number): boolean;
  /** Every dead letter is due again; returns how many. */
  retryAllDead(now: number): number;
  /** An operator gave up on the job; its dedupe key stays, so it is never delivered. */
  drop(id: number, now: number): boolean;
  /** Whether `customer` texted STOP to `twilioNumber` (and not START since). */
  isOptedOut(customer: string, twilioNumber: string): boolean;
  setOptedOut(customer: string, twilioNumber: string, optedOut: boolean, now: number): void;
  /** A cached caller-name lookup: `name` null means "looked up, no name". */
  getCallerName(phoneNumber: string): { name: string | null; lookedUpAt: number } | undefined;
  setCallerName(phoneNumber: string, name: string | null, now: number): void;
  /** A short-lived copy of an agent's attachment, for Twilio to fetch (outbound MMS). */
  putMedia(media: StoredMedia): void;
  getMedia(id: string): StoredMedia | undefined;
  /** Removes copies past their expiry; returns how many. */
  deleteExpiredMedia(now: number): number;
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string | undefined): void;
  linkMessage(link: MessageLink, now: number): void;
  findMessage(twilioSid: string): MessageLink | undefined;
  summary(): QueueSummary;
  close(): void;
}
