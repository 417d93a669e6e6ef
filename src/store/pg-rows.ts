import pg from "pg";
import type { StoredMedia } from "./store.js";

const INT8 = 20;

/**
 * BIGINT columns (ids and epoch-millisecond times) read as numbers, as the Store's types say:
 * they stay far below 2^53. Set per pool, not on the global `pg.types`, so that nothing else in
 * the process is affected.
 */
export const PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary"): unknown =>
    oid === INT8 && format !== "binary"
      ? (value: string) => Number(value)
      : (pg.types.getTypeParser(oid, format) as unknown)) as pg.CustomTypesConfig["getTypeParser"],
};

export interface MediaRow {
  id: string;
  job_key: string;
  content_type: string;
  bytes: Buffer;
  expires_at: number;
}

export function toMedia(row: MediaRow): StoredMedia {
  return {
    id: row.id,
    jobKey: row.job_key,
    contentType: row.content_type,
    bytes: row.bytes,
    expiresAt: row.expires_at,
  };
}
