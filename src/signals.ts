/**
 * Ctrl+C and SIGTERM for the commands that stop gracefully (serve, demo --keep): the first signal
 * resolves, so the command can finish its work and restore what `--tunnel` re-pointed; if that
 * takes longer than `graceMs`, or a second Ctrl+C comes, the process exits at once.
 */
export interface StopSignalOptions {
  graceMs?: number;
  stderr?: NodeJS.WritableStream;
  exit?: (code: number) => void;
  target?: Pick<NodeJS.Process, "on">;
}

export const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

const ECHO_MS = 300;

export function stopRequested(options: StopSignalOptions = {}): Promise<NodeJS.Signals> {
  const graceMs = options.graceMs ?? 5_000;
  const stderr = options.stderr ?? process.stderr;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const target = options.target ?? process;
  return new Promise((resolve) => {
    let first: NodeJS.Signals | undefined;
    let firstAt = 0;
    const handle = (signal: NodeJS.Signals) => {
      if (first) {
        // conf's atomic writer (when-exit) re-raises the signal it saw: that echo is not a person.
        if (Date.now() - firstAt < ECHO_MS) return;
        stderr.write(`\n${signal} again: exiting now.\n`);
        exit(SIGNAL_EXIT[signal] ?? 1);
        return;
      }
      first = signal;
      firstAt = Date.now();
      // unref: a clean stop exits sooner on its own; the timer only fires if something hangs.
      setTimeout(() => {
        stderr.write(`Did not stop within ${graceMs / 1000}s: exiting now.\n`);
        exit(SIGNAL_EXIT[signal] ?? 1);
      }, graceMs).unref();
      resolve(signal);
    };
    target.on("SIGINT", handle);
    target.on("SIGTERM", handle);
  });
}
