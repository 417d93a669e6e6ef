import type Database from "better-sqlite3";
import type { EarlyStatus } from "./store.js";

/** Status callbacks for a sid the store has not recorded yet (migration 3), kept until it is. */
export function createEarlyStatusStatements(db: Database.Database) {
  const keepEarly =
    db.prepare(`INSERT INTO early_statuses (twilio_sid, status, error_code, received_at)
    VALUES (?, ?, ?, ?) ON CONFLICT (twilio_sid, status) DO NOTHING`);
  const readEarly = db.prepare<[string], { status: string; error_code: number | null }>(
    "SELECT status, error_code FROM early_statuses WHERE twilio_sid = ? ORDER BY received_at, rowid",
  );
  const deleteEarly = db.prepare("DELETE FROM early_statuses WHERE twilio_sid = ?");
  return {
    keep: (sid: string, early: EarlyStatus, now: number) =>
      void keepEarly.run(sid, early.status, early.errorCode ?? null, now),
    /** Oldest first. */
    read: (sid: string): EarlyStatus[] =>
      readEarly
        .all(sid)
        .map((row) =>
          row.error_code === null
            ? { status: row.status }
            : { status: row.status, errorCode: row.error_code },
        ),
    forget: (sid: string) => void deleteEarly.run(sid),
  };
}
