import type pg from "pg";
import { toMedia, type MediaRow } from "./pg-rows.js";
import { toLink } from "./sqlite-rows.js";
import type { EarlyStatus, SeenInstance, Store } from "./store.js";

type Records = Pick<
  Store,
  | "isOptedOut"
  | "setOptedOut"
  | "getCallerName"
  | "setCallerName"
  | "putMedia"
  | "getMedia"
  | "deleteExpiredMedia"
  | "getMeta"
  | "setMeta"
  | "linkMessage"
  | "findMessage"
  | "lastFrontLink"
  | "keepEarlyStatus"
  | "takeEarlyStatuses"
  | "heartbeat"
  | "instances"
>;

/** The PostgreSQL store's tables beside the queue: one statement per method. */
export function createPgRecords(pool: pg.Pool): Records {
  const rows = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
    (await pool.query<R>(sql, params)).rows;
  const count = async (sql: string, params: unknown[] = []) =>
    (await pool.query(sql, params)).rowCount ?? 0;

  return {
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
  };
}
