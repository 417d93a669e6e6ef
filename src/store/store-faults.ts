import type { Store } from "./store.js";

/**
 * Faults of the machine under the store (a full disk, an I/O error, a file system remounted
 * read-only, a lock held too long) as opposed to bugs: the request could not be committed now, and
 * the same request will work once the fault clears.
 */
export interface DiskFault {
  code: string;
  /** In plain words, for the log. */
  reason: string;
}

const REASONS: Record<string, string> = {
  SQLITE_FULL: "the disk is full",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  SQLITE_READONLY: "the store is read-only",
  EROFS: "the file system is read-only",
  SQLITE_IOERR: "an I/O error on the disk",
  EIO: "an I/O error on the disk",
  SQLITE_BUSY: "another process holds the store's lock",
};

/** The disk fault behind `error` (better-sqlite3's SqliteError or a node fs error), if it is one. */
export function diskFault(error: unknown): DiskFault | undefined {
  if (error instanceof StoreUnavailableError) return error.fault;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return undefined;
  // Extended SQLite codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED, …) share their base's reason.
  const base = Object.keys(REASONS).find((known) => code === known || code.startsWith(`${known}_`));
  return base ? { code, reason: REASONS[base]! } : undefined;
}

/** The store cannot commit now because of a disk fault; webhooks are answered 503. */
export class StoreUnavailableError extends Error {
  constructor(
    readonly fault: DiskFault,
    options: { cause?: unknown } = {},
  ) {
    super(`the store cannot commit: ${fault.reason} (${fault.code})`, options);
    this.name = "StoreUnavailableError";
  }
}

/** Every store call, with disk faults turned into StoreUnavailableError; other errors pass as they are. */
export function guardStore(store: Store): Store {
  const convert = (error: unknown) => {
    const fault = diskFault(error);
    return fault && !(error instanceof StoreUnavailableError)
      ? new StoreUnavailableError(fault, { cause: error })
      : error;
  };
  const guarded: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(store)) {
    if (typeof member !== "function") {
      guarded[name] = member;
      continue;
    }
    const method = member as (...args: unknown[]) => unknown;
    guarded[name] = (...args: unknown[]) => {
      let result: unknown;
      try {
        result = method.apply(store, args);
      } catch (error) {
        throw convert(error);
      }
      // The store's writes are asynchronous (group commit): a failed commit rejects.
      return result instanceof Promise
        ? result.catch((error: unknown) => {
            throw convert(error);
          })
        : result;
    };
  }
  return guarded as unknown as Store;
}
