/**
 * The small error vocabulary of front-twilio. Expected failures carry a hint that says how to fix
 * them; the CLI prints `✖ message` and `→ hint` without a stack trace and exits with `exitCode`.
 */
export class BridgeError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;
  /** Stable, for scripts reading `--json` errors: see "Exit codes and errors" in the README. */
  readonly code: string;

  constructor(
    message: string,
    options: { hint?: string; exitCode?: number; cause?: unknown; code?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
    this.code = options.code ?? (this.exitCode === 2 ? "usage" : this.defaultCode());
  }

  protected defaultCode(): string {
    return "failed";
  }
}

/** Missing or invalid configuration; the message names the flag, variable or config key. */
export class ConfigError extends BridgeError {
  protected override defaultCode() {
    return "config";
  }
}

/** A call to Front or Twilio that failed in a way the user can act on. */
export class UpstreamError extends BridgeError {
  protected override defaultCode() {
    return "upstream";
  }
}

export function isBridgeError(error: unknown): error is BridgeError {
  return error instanceof BridgeError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why a fetch failed: its cause ("connect ECONNREFUSED …"), not undici's "fetch failed". */
export function causeMessage(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return errorMessage(cause);
}
