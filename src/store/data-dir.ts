import * as fs from "node:fs";

/** The few file operations the data dir needs; tests pass failing ones to simulate a broken disk. */
export type FileOps = Pick<
  typeof fs,
  "mkdirSync" | "statSync" | "chmodSync" | "openSync" | "closeSync" | "existsSync"
>;

const OTHERS = 0o077;

/**
 * Creates the data dir 0700, or tightens an existing one to 0700. What cannot be tightened (a dir
 * that belongs to another user) is returned as a warning with the command that fixes it.
 */
export function preparePrivateDir(dir: string, ops: FileOps = fs): string[] {
  ops.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = ops.statSync(dir);
  if (!stat.isDirectory()) {
    throw Object.assign(new Error(`${dir} is not a directory`), { code: "ENOTDIR", path: dir });
  }
  return tighten(dir, stat.mode, 0o700, ops);
}

/**
 * Creates `file` empty with mode 0600 if it is missing (before SQLite opens it, so its first
 * bytes are never readable by others) and sets 0600 whatever the umask.
 */
export function preparePrivateFile(file: string, ops: FileOps = fs): string[] {
  ops.closeSync(ops.openSync(file, "a", 0o600));
  return tighten(file, ops.statSync(file).mode, 0o600, ops);
}

/** Sets 0600 on a file SQLite made (the WAL and shared-memory files), when it exists. */
export function tightenIfPresent(file: string, ops: FileOps = fs): string[] {
  return ops.existsSync(file) ? tighten(file, ops.statSync(file).mode, 0o600, ops) : [];
}

function tighten(path: string, mode: number, wanted: number, ops: FileOps): string[] {
  if ((mode & OTHERS) === 0) return [];
  try {
    ops.chmodSync(path, wanted);
    if ((ops.statSync(path).mode & OTHERS) === 0) return [];
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== "EPERM" && code !== "EACCES") throw error;
  }
  const octal = wanted.toString(8);
  return [
    `${path} can be read by other users (mode ${(mode & 0o777).toString(8)}) and is not ours to change. Fix: chmod ${octal} ${path}`,
  ];
}
