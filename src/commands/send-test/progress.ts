import yoctoSpinner from "yocto-spinner";

/** A spinner on a terminal; one line per change elsewhere (CI logs, tests). */
export interface Progress {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
}

export function createProgress(stream: NodeJS.WritableStream, text: string): Progress {
  const tty = Boolean((stream as { isTTY?: boolean }).isTTY) && !("CI" in process.env);
  if (tty) {
    const spinner = yoctoSpinner({ text, stream: stream as never, handleSignals: false }).start();
    return {
      update: (next) => void (spinner.text = next),
      succeed: (final) => void spinner.success(final),
      fail: (final) => void spinner.error(final),
    };
  }
  let last = "";
  const line = (mark: string, value: string) => {
    if (value === last) return;
    last = value;
    stream.write(`${mark} ${value}\n`);
  };
  line("…", text);
  return {
    update: (next) => line("…", next),
    succeed: (final) => line("✔", final),
    fail: (final) => line("✖", final),
  };
}
