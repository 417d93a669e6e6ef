import * as fs from "node:fs";
import { chmodSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { BridgeError } from "../../src/errors.js";
import { openSqliteStore } from "../../src/store/sqlite-open.js";
import { tempDir } from "../helpers/cli.js";

const mode = (path: string) => statSync(path).mode & 0o777;
const fsError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe("the data dir and the store's files are private", () => {
  const umask = process.umask();
  afterEach(() => void process.umask(umask));

  it("creates the dir 0700 and bridge.sqlite, -wal and -shm 0600 even with umask 000", async () => {
    process.umask(0);
    const dir = join(tempDir(), "data");
    const store = openSqliteStore(dir);
    try {
      await store.setMeta("k", "v"); // a write, so the WAL has content
      expect(mode(dir)).toBe(0o700);
      for (const name of ["bridge.sqlite", "bridge.sqlite-wal", "bridge.sqlite-shm"]) {
        expect(mode(join(dir, name)), name).toBe(0o600);
      }
    } finally {
      await store.close();
    }
  });

  it("tightens an existing 0755 dir and 0644 store files", async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, "bridge.sqlite"), "");
    chmodSync(join(dir, "bridge.sqlite"), 0o644);
    const warnings: string[] = [];
    await openSqliteStore(dir, { warn: (m) => warnings.push(m) }).close();
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, "bridge.sqlite"))).toBe(0o600);
    expect(warnings).toEqual([]);
  });

  it("reports a dir it may not change (simulated: chmod answers EPERM) with the chmod that fixes it", async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const warnings: string[] = [];
    const ops = {
      ...fs,
      chmodSync: (path: fs.PathLike, m: fs.Mode) => {
        if (path === dir) throw fsError("EPERM", "operation not permitted");
        fs.chmodSync(path, m);
      },
    };
    await openSqliteStore(dir, { warn: (m) => warnings.push(m), fs: ops }).close();
    expect(warnings).toEqual([
      `${dir} can be read by other users (mode 755) and is not ours to change. Fix: chmod 700 ${dir}`,
    ]);
  });
});

describe("a data dir that cannot be used is explained, not dumped", () => {
  const explained = (run: () => unknown): BridgeError => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(BridgeError);
      return error as BridgeError;
    }
    throw new Error("expected a BridgeError");
  };

  it("a file where the dir should be (real: ENOTDIR/EEXIST)", () => {
    const file = join(tempDir(), "not-a-dir");
    writeFileSync(file, "x");
    for (const dir of [file, join(file, "data")]) {
      const error = explained(() => openSqliteStore(dir));
      expect(error.message).toBe(
        `Cannot use the data dir ${dir}: it, or a folder above it, is a file, not a directory.`,
      );
      expect(error.hint).toContain("--data-dir or FRONT_TWILIO_DATA_DIR");
    }
  });

  // Tests run as root, which chmod does not stop, so a read-only file system is simulated by
  // passing an fs whose mkdir fails as the kernel would (EROFS).
  it("a read-only file system (simulated: mkdir answers EROFS)", () => {
    const ops = {
      ...fs,
      mkdirSync: () => {
        throw fsError("EROFS", "read-only file system, mkdir '/x'");
      },
    };
    const error = explained(() => openSqliteStore("/x", { fs: ops }));
    expect(error.message).toBe("Cannot write the data dir /x: read-only file system.");
    expect(error.hint).toBe(
      "Choose another with --data-dir or FRONT_TWILIO_DATA_DIR, or make it writable (chmod/chown).",
    );
  });

  it("a full disk when SQLite opens the store (simulated: SQLITE_FULL from the driver)", () => {
    const dir = tempDir();
    const error = explained(() =>
      openSqliteStore(dir, {
        openDatabase: () => {
          throw new Database.SqliteError("database or disk is full", "SQLITE_FULL");
        },
      }),
    );
    expect(error.message).toBe(`Cannot write the data dir ${dir}: the disk is full.`);
    expect(error.hint).toContain("Free some space there");
  });

  it("a file that is not a database", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bridge.sqlite"), "this is not sqlite".repeat(100));
    const error = explained(() => openSqliteStore(dir));
    expect(error.message).toContain("is not a readable SQLite database (SQLITE_NOTADB)");
  });

  it("leaves errors without a file-system code alone (they are bugs)", () => {
    const bug = new TypeError("boom");
    const ops = {
      ...fs,
      mkdirSync: () => {
        throw bug;
      },
    };
    expect(() => openSqliteStore(join(tempDir(), "d"), { fs: ops })).toThrow(bug);
  });
});
