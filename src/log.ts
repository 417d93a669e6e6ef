import chalk from "chalk";

/** Everything the bridge reports goes through this; tests pass a recording logger. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export interface CliLoggerOptions {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  verbose?: boolean;
  now?: () => Date;
}

export function createCliLogger(options: CliLoggerOptions = {}): Logger {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const now = options.now ?? (() => new Date());
  const stamp = () => chalk.dim(now().toISOString().slice(11, 19));
  return {
    info: (message) => stdout.write(`${stamp()} ${message}\n`),
    warn: (message) => stderr.write(`${stamp()} ${chalk.yellow("!")} ${message}\n`),
    error: (message) => stderr.write(`${stamp()} ${chalk.red("✖")} ${message}\n`),
    debug: (message) => {
      if (options.verbose) stdout.write(`${stamp()} ${chalk.dim(message)}\n`);
    },
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** Secrets are shown as their last four characters at most. */
export function maskSecret(value: string | undefined): string {
  if (!value) return "(not set)";
  return value.length <= 8 ? "••••" : `••••${value.slice(-4)}`;
}
