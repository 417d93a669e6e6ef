import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What a running `serve` tells the other commands about itself: its public URL (a dev tunnel's URL
 * changes between runs and while running) and where it listens. Kept next to its store, so the
 * commands that already find the store find the bridge too; ignored once its pid is gone.
 */
export interface LiveBridge {
  pid: number;
  publicUrl: string;
  /** The address a local client can reach it at, e.g. http://127.0.0.1:3000. */
  localUrl: string;
  port: number;
  tunnel: boolean;
  startedAt: string;
  /** Behind a dev tunnel without a configured admin token: the one this run made for itself. */
  adminToken?: string;
}

export const LIVE_FILE = "serve.json";

export function liveBridgeFile(dataDir: string): string {
  return join(dataDir, LIVE_FILE);
}

/** Writes (or rewrites, when the tunnel URL changes) the record atomically. */
export function recordLiveBridge(dataDir: string, live: LiveBridge): void {
  mkdirSync(dataDir, { recursive: true });
  const file = liveBridgeFile(dataDir);
  const temporary = `${file}.${live.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(live, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** Removes the record if it is this process's own (another serve may have started since). */
export function forgetLiveBridge(dataDir: string, pid = process.pid): void {
  const current = readRecord(dataDir);
  if (current?.pid === pid) rmSync(liveBridgeFile(dataDir), { force: true });
}

/** The running bridge recorded in `dataDir`, or undefined when none runs (a stale record is ignored). */
export function findLiveBridge(
  dataDir: string,
  isAlive: (pid: number) => boolean = processAlive,
): LiveBridge | undefined {
  const record = readRecord(dataDir);
  return record && isAlive(record.pid) ? record : undefined;
}

function readRecord(dataDir: string): LiveBridge | undefined {
  try {
    const record = JSON.parse(readFileSync(liveBridgeFile(dataDir), "utf8")) as Partial<LiveBridge>;
    if (typeof record.pid !== "number" || typeof record.publicUrl !== "string") return undefined;
    return record as LiveBridge;
  } catch {
    return undefined;
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
