import chalk from "chalk";

/**
 * Everything the bridge reports goes through this; tests pass a recording logger. `fields` is
 * optional structured context (numbers, ids) for the JSON format.
 */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
}

export type LogFields = Record<string, unknown>;
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "text" | "json";

export interface CliLoggerOptions {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Same as level "debug" (serve --verbose). */
  verbose?: boolean;
  level?: LogLevel;
  format?: LogFormat;
  /** Values that must never appear in a log line (tokens, secrets); masked wherever they occur. */
  secrets?: readonly (string | undefined)[];
  now?: () => Date;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Text for people: `2026-11-30 07:10:00 INFO  message` (warnings and errors on stderr). JSON for
 * machines: one object per line with ISO time, level, event and the ids found in it.
 */
export function createCliLogger(options: CliLoggerOptions = {}): Logger {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const now = options.now ?? (() => new Date());
  const least = RANK[options.verbose ? "debug" : (options.level ?? "info")];
  const secrets = (options.secrets ?? []).filter((s): s is string => Boolean(s && s.length >= 4));
  const scrub = (text: string) =>
    secrets.reduce((out, secret) => out.split(secret).join(maskSecret(secret)), text);

  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    if (RANK[level] < least) return;
    const stream = level === "warn" || level === "error" ? stderr : stdout;
    const time = now();
    if (options.format === "json") {
      const event = scrub(stripAnsi(message));
      const record = { time: time.toISOString(), level, event, ...idsIn(event), ...fields };
      stream.write(`${scrub(JSON.stringify(record))}\n`);
      return;
    }
    const stamp = chalk.dim(time.toISOString().slice(0, 19).replace("T", " "));
    stream.write(`${stamp} ${LABEL[level]} ${scrub(message)}\n`);
  };
  return {
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
    debug: (message, fields) => write("debug", message, fields),
  };
}

const LABEL: Record<LogLevel, string> = {
  debug: chalk.dim("DEBUG"),
  info: chalk.cyan("INFO "),
  warn: chalk.yellow("WARN "),
  error: chalk.red("ERROR"),
};

/**
 * The ids a line mentions, for machines to filter on, without touching the log calls of every
 * module: Twilio message SIDs, Front channel/message/conversation ids, and masked customer numbers.
 */
export function idsIn(event: string): LogFields {
  const ids: LogFields = {};
  const first = (pattern: RegExp) => pattern.exec(event)?.[0];
  const sid = first(/\b(?:SM|MM)[0-9a-f]{32}\b/);
  const channel = first(/\bcha_\w+/);
  const message = first(/\bmsg_\w+/);
  const conversation = first(/\bcnv_\w+/);
  const number = first(/\+\d[\d…]{3,15}/);
  if (sid) ids.twilioSid = sid;
  if (channel) ids.channel = channel;
  if (message) ids.frontMessageId = message;
  if (conversation) ids.conversation = conversation;
  if (number) ids.number = number;
  return ids;
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** Secrets are shown as their last four characters at most. */
export function maskSecret(value: string | undefined): string {
  if (!value) return "(not set)";
  return value.length <= 8 ? "••••" : `••••${value.slice(-4)}`;
}
