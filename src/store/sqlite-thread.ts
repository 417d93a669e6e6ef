import { Worker } from "node:worker_threads";
import { BridgeError } from "../errors.js";
import type { Answer, Call, SerializedError } from "./sqlite-worker.js";
import type { Store } from "./store.js";

const METHODS = [
  "enqueue",
  "claimNext",
  "startAttempt",
  "keepEarlyStatus",
  "takeEarlyStatuses",
  "lastFrontLink",
  "leaseOwners",
  "releaseLeases",
  "complete",
  "retryLater",
  "deadLetter",
  "get",
  "getByKey",
  "list",
  "nextWakeAt",
  "retryNow",
  "retryAllDead",
  "drop",
  "isOptedOut",
  "setOptedOut",
  "getCallerName",
  "setCallerName",
  "putMedia",
  "getMedia",
  "deleteExpiredMedia",
  "getMeta",
  "setMeta",
  "linkMessage",
  "findMessage",
  "summary",
  "recordFact",
  "factFigures",
  "prune",
  "heartbeat",
  "instances",
] as const satisfies readonly Exclude<keyof Store, "close">[];
// Every method of the Store crosses the thread: adding one to the interface and not here fails to compile.
type Forgotten = Exclude<Exclude<keyof Store, "close">, (typeof METHODS)[number]>;
const everyMethod: [Forgotten] extends [never] ? true : Forgotten = true;
void everyMethod;

// A thread runs built JavaScript: under the test runner, which loads these sources as TypeScript,
// that is the file `npm run build` made (the tests' pretest step builds it).
const WORKER_FILE = new URL(
  import.meta.url.endsWith(".ts") ? "../../dist/store/sqlite-worker.js" : "./sqlite-worker.js",
  import.meta.url,
);

/**
 * The SQLite store run on a worker thread. better-sqlite3 is synchronous, so on the main thread
 * every commit's fsync (synchronous=FULL) would stop all request handling for its duration; here
 * the main thread only posts calls and awaits answers, and requests that arrive during an fsync
 * join the next group commit. Every call of the Store interface is one message each way.
 */
export function openSqliteThread(file: string): Store {
  const worker = new Worker(WORKER_FILE, { workerData: { file } });
  const waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (e: Error) => void }
  >();
  let next = 0;
  let exited: Error | undefined;

  worker.on("message", (answers: Answer[]) => {
    for (const answer of answers) {
      const call = waiting.get(answer.id);
      if (!call) continue;
      waiting.delete(answer.id);
      if (answer.ok) call.resolve(answer.value);
      else call.reject(revive(answer.error));
    }
  });
  const fail = (error: Error) => {
    exited = error;
    for (const call of waiting.values()) call.reject(error);
    waiting.clear();
  };
  worker.on("error", fail);
  worker.on("exit", () => fail(new Error("the store's thread has stopped")));
  // An idle store does not keep the process alive; a pending call does (see call()).
  worker.unref();

  // Calls of one event-loop turn cross the thread as one message (they join one commit anyway).
  let outbox: Call[] = [];
  const send = () => {
    const calls = outbox;
    outbox = [];
    if (!exited) worker.postMessage(calls);
  };

  function call(method: Call["method"] | "close", args: unknown[]): Promise<unknown> {
    if (exited) return Promise.reject(exited);
    const id = next++;
    if (waiting.size === 0) worker.ref();
    return new Promise<unknown>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      if (outbox.length === 0) setImmediate(send);
      outbox.push({ id, method, args });
    }).finally(() => {
      if (waiting.size === 0) worker.unref();
    });
  }

  const store = Object.fromEntries(
    METHODS.map((method) => [method, (...args: unknown[]) => call(method, args)]),
  ) as unknown as Store;
  // Bytes cross the thread as a Uint8Array; callers expect a Buffer.
  store.getMedia = async (id) => {
    const media = (await call("getMedia", [id])) as Awaited<ReturnType<Store["getMedia"]>>;
    return media && { ...media, bytes: Buffer.from(media.bytes) };
  };
  store.close = async () => {
    // Writes asked for before close are committed, then the database is closed, then the thread.
    if (!exited) await call("close", []).catch(() => undefined);
    await worker.terminate();
  };
  return store;
}

/** Errors cross the thread as plain data; expected ones keep their class and hint. */
function revive(error: SerializedError): Error {
  const revived =
    error.name === "BridgeError" || error.hint !== undefined
      ? new BridgeError(error.message, error.hint === undefined ? {} : { hint: error.hint })
      : new Error(error.message);
  if (error.code) Object.assign(revived, { code: error.code });
  return revived;
}
