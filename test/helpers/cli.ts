import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = resolve(fileURLToPath(import.meta.url), "../../../bin/front-twilio.js");

/** An environment with nothing of the developer's own Front/Twilio settings in it. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(FRONT_|TWILIO_|PORT$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0", ...extra };
}

export function tempDir(prefix = "ft-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary to completion. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const process = startCli(args, env);
  return process.exited;
}

export interface RunningCli {
  child: ChildProcess;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<CliResult>;
}

/** Starts the built binary and lets the test wait for lines on its stdout/stderr. */
export function startCli(args: string[], env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    listeners.forEach((l) => l());
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    listeners.forEach((l) => l());
  });
  const exited = new Promise<CliResult>((resolve) => {
    child.on("close", (code, signal) => {
      listeners.forEach((l) => l());
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    exited,
    output: () => stdout + stderr,
    waitForOutput(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stdout + stderr);
          if (match) {
            done();
            resolve(match[0]);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`process ended before ${pattern}:\n${stdout}${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${stdout}${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

interface StandInLike {
  url: string;
  violations: unknown[];
  close(): Promise<void>;
}

/**
 * The CLI's environment against the Front and Twilio stand-ins: a fresh config and data dir, the
 * base URLs and the credentials, plus what the test adds (the route, tuning).
 */
export function standInCliEnv(
  front: StandInLike & { token: string },
  twilio: StandInLike & { accountSid: string; authToken: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  const dir = tempDir();
  return cleanEnv({
    FRONT_TWILIO_CONFIG_DIR: dir,
    FRONT_TWILIO_DATA_DIR: `${dir}/data`,
    FRONT_API_URL: front.url,
    TWILIO_API_URL: twilio.url,
    FRONT_API_TOKEN: front.token,
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    ...extra,
  });
}

/** After a test: kills what still runs, closes the stand-ins, and returns what broke their contract. */
export async function stopAll(
  running: RunningCli[],
  ...standIns: StandInLike[]
): Promise<unknown[]> {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
  for (const standIn of standIns) await standIn.close();
  return standIns.flatMap((standIn) => standIn.violations);
}
