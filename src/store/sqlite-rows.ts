import type { Job, JobState, MessageLink } from "./store.js";

/** A `jobs` row as SQLite (or PostgreSQL, with BIGINTs read as numbers) returns it, and its mapping to the Store's types. */
export interface JobRow {
  id: number;
  kind: Job["kind"];
  dedupe_key: string;
  route: string;
  order_key: string;
  payload: string;
  state: JobState;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  last_error: string | null;
  result: string | null;
  created_at: number;
  updated_at: number;
  /** SQLite only: the PostgreSQL store tests order keys in its claim. */
  is_head?: number;
  attempt_started_at: number | null;
}

export function maybe(row: JobRow | undefined): Job | undefined {
  return row ? toJob(row) : undefined;
}

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    dedupeKey: row.dedupe_key,
    route: row.route,
    orderKey: row.order_key,
    payload: JSON.parse(row.payload) as unknown,
    state: row.state,
    attempts: row.attempts,
    attemptStartedAt: row.attempt_started_at,
    nextAttemptAt: row.next_attempt_at,
    leaseUntil: row.lease_until,
    leaseOwner: row.lease_owner,
    lastError: row.last_error,
    result: row.result === null ? undefined : (JSON.parse(row.result) as unknown),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toLink(row: Record<string, unknown>): MessageLink {
  const link: MessageLink = {
    twilioSid: row.twilio_sid as string,
    route: row.route as string,
    direction: row.direction as MessageLink["direction"],
    customer: row.customer as string,
  };
  if (row.front_message_id) link.frontMessageId = row.front_message_id as string;
  if (row.front_message_uid) link.frontMessageUid = row.front_message_uid as string;
  if (row.front_conversation_id) link.frontConversationId = row.front_conversation_id as string;
  if (row.status) link.status = row.status as string;
  if (typeof row.error_code === "number") link.errorCode = row.error_code;
  return link;
}
