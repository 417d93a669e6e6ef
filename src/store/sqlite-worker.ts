import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { createSqliteStore } from "./sqlite-store.js";
import type { Store } from "./store.js";

/**
 * The SQLite store on a thread of its own (see sqlite-thread.ts): it runs each call it is sent
 * and posts the outcome back. Group commit works here as in the main thread, with one difference
 * that matters: while this thread waits for an fsync, the main thread goes on serving requests,
 * and their writes queue up for the next commit.
 */
export interface Call {
  id: number;
  method: keyof Store;
  args: unknown[];
}

export type Answer =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  hint?: string;
}

const port = parentPort!;
let store: Store | undefined;
let failure: SerializedError | undefined;
try {
  store = createSqliteStore(new Database((workerData as { file: string }).file));
} catch (error) {
  failure = serialize(error);
}

// Answers settled in one event-loop turn go back as one message.
let outbox: Answer[] = [];
function answer(reply: Answer) {
  if (outbox.length === 0)
    setImmediate(() => {
      const replies = outbox;
      outbox = [];
      port.postMessage(replies);
    });
  outbox.push(reply);
}

port.on("message", (calls: Call[]) => {
  for (const call of calls) {
    if (!store) {
      answer({ id: call.id, ok: false, error: failure! });
      continue;
    }
    const run = (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[
      call.method
    ]!;
    run(...call.args).then(
      (value) => answer({ id: call.id, ok: true, value }),
      (error: unknown) => answer({ id: call.id, ok: false, error: serialize(error) }),
    );
  }
});

function serialize(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const { code, hint } = error as { code?: unknown; hint?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === "string" ? { code } : {}),
    ...(typeof hint === "string" ? { hint } : {}),
  };
}
