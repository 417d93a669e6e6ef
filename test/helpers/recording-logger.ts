import type { Logger } from "../../src/log.js";

export interface RecordingLogger extends Logger {
  lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return {
    lines,
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
    debug: record("debug"),
  };
}
