// Issue 13: bytes the store keeps per message, before retention, once the payload retention has
// passed (dedupe keys and links still kept), and once the key retention has passed too.
import Database from "better-sqlite3";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const title = "Issue 13 — store size per message (ratio = after retention / before)";

const dist = new URL("../dist/", import.meta.url);
const { createSqliteStore } = await import(new URL("store/sqlite-store.js", dist).href);
const { pruneStore } = await import(new URL("bridge/retention.js", dist).href);
const MESSAGES = 2_000;
const DAY = 86_400_000;

/** The store's size as a compact copy would have it (VACUUM INTO), per message. */
function bytesPerMessage(db, dir, name) {
  const copy = join(dir, `${name}.sqlite`);
  db.prepare("VACUUM INTO ?").run(copy);
  return statSync(copy).size / MESSAGES;
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), "front-twilio-bench-retention-"));
  try {
    const db = new Database(join(dir, "bridge.sqlite"));
    const store = createSqliteStore(db);
    const day0 = Date.UTC(2026, 0, 1);
    await Promise.all(
      Array.from({ length: MESSAGES }, async (_, i) => {
        const sid = `SM${i.toString(16).padStart(32, "0")}`;
        const customer = `+1415${String(5_000_000 + (i % 400)).padStart(7, "0")}`;
        const { job } = await store.enqueue(
          {
            kind: "inbound",
            dedupeKey: `in:${sid}`,
            route: "+14155550100|cha_bench",
            orderKey: `in:sms:${customer}:+14155550100`,
            payload: {
              messageSid: sid,
              from: customer,
              to: "+14155550100",
              body: "Hi! My order #1042 has not arrived yet; can you tell me where it is?",
              numMedia: 0,
              receivedAt: day0,
            },
          },
          day0,
        );
        await store.complete(job.id, day0, {
          frontMessageUid: `uid_${i.toString(16).padStart(16, "0")}`,
        });
        await store.linkMessage(
          {
            twilioSid: sid,
            route: "+14155550100|cha_bench",
            direction: "inbound",
            customer,
            frontMessageUid: `uid_${i}`,
            status: "delivered-to-front",
          },
          day0,
        );
      }),
    );
    const before = bytesPerMessage(db, dir, "before");
    // The bridge's own prune (default policy: payloads after 7 days, keys after 30), at a given day.
    const prune = (now) => pruneStore(store, { now: () => now });
    await prune(day0 + 8 * DAY);
    const keysKept = bytesPerMessage(db, dir, "payloads-gone");
    await prune(day0 + 31 * DAY);
    const allGone = bytesPerMessage(db, dir, "all-gone");
    await store.close();
    return [
      {
        figure: "after 7 days (payloads removed, keys and links kept)",
        ms: keysKept,
        refMs: before,
        unit: "B",
      },
      {
        figure: "after 30 days (finished jobs and links removed)",
        ms: allGone,
        refMs: before,
        unit: "B",
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
