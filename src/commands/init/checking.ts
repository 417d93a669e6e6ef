import yoctoSpinner from "yocto-spinner";
import { isBridgeError } from "../../errors.js";

/**
 * A network check with a spinner on a terminal (its ✔/✖ result line follows), silent elsewhere
 * so logs and tests stay clean.
 */
export async function checking<T>(
  stream: NodeJS.WritableStream,
  text: string,
  work: () => Promise<T>,
): Promise<T> {
  const tty = Boolean((stream as { isTTY?: boolean }).isTTY) && !("CI" in process.env);
  if (!tty) return work();
  const spinner = yoctoSpinner({ text, stream: stream as never, handleSignals: false }).start();
  try {
    return await work();
  } finally {
    spinner.stop();
  }
}

/** A credential the vendor refused (401/403): worth asking again, with the vendor's reason. */
export function isRejectedCredential(error: unknown): boolean {
  return isBridgeError(error) && error.code === "credentials_rejected";
}
