import { BridgeError } from "../errors.js";

const CHOOSE = "choose another with --data-dir or FRONT_TWILIO_DATA_DIR";

/**
 * A data dir that cannot be used at start-up, explained in one message with its fix instead of a
 * stack trace. Errors without a file-system or SQLite code are bugs and are returned unchanged.
 */
export function dataDirError(dir: string, file: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return error;
  const explained = (message: string, hint: string) =>
    new BridgeError(message, { hint, cause: error });
  const base = code.replace(/^(SQLITE_[A-Z]+)_.*$/, "$1");
  switch (base) {
    case "EROFS":
    case "SQLITE_READONLY":
      return explained(
        `Cannot write the data dir ${dir}: read-only file system.`,
        `Choose another with --data-dir or FRONT_TWILIO_DATA_DIR, or make it writable (chmod/chown).`,
      );
    case "EACCES":
    case "EPERM":
    case "SQLITE_CANTOPEN":
    case "SQLITE_AUTH":
      return explained(
        `Cannot write the data dir ${dir}: permission denied.`,
        `Make it writable by this user (chmod/chown), or ${CHOOSE}.`,
      );
    case "ENOSPC":
    case "EDQUOT":
    case "SQLITE_FULL":
      return explained(
        `Cannot write the data dir ${dir}: the disk is full.`,
        `Free some space there, or ${CHOOSE}.`,
      );
    case "ENOTDIR":
    case "EEXIST":
      return explained(
        `Cannot use the data dir ${dir}: it, or a folder above it, is a file, not a directory.`,
        `Move the file away, or ${CHOOSE}.`,
      );
    case "SQLITE_NOTADB":
    case "SQLITE_CORRUPT":
      return explained(
        `The store ${file} is not a readable SQLite database (${code}).`,
        `Restore it from a backup, or move it away to start with an empty store (what it held is lost), or ${CHOOSE}.`,
      );
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return explained(
        `The store ${file} is locked by another process.`,
        `Stop the other front-twilio process that uses it, or ${CHOOSE}.`,
      );
    default:
      return code.startsWith("E") || code.startsWith("SQLITE_")
        ? explained(
            `Cannot use the data dir ${dir}: ${(error as Error).message} (${code}).`,
            `Check the disk, or ${CHOOSE}.`,
          )
        : error;
  }
}
