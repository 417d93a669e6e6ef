import * as fs from "node:fs";
import { BridgeError } from "../errors.js";

export interface PrivatePath {
  path: string;
  kind: "dir" | "file";
}

/**
 * The config file and the data dir hold secrets and customers' messages: group and others must not
 * read them. Returns what was checked; throws a BridgeError whose hint is the exact chmod.
 */
export function checkPrivatePaths(
  paths: readonly PrivatePath[],
  stat: (path: string) => { mode: number } | undefined = statIfPresent,
): string {
  const present = paths.flatMap((p) => {
    const found = stat(p.path);
    return found ? [{ ...p, mode: found.mode & 0o777 }] : [];
  });
  const open = present.filter((p) => (p.mode & 0o077) !== 0);
  if (open.length > 0) {
    throw new BridgeError(
      `others on this machine can read ${open.map((p) => `${p.path} (mode ${p.mode.toString(8)})`).join(", ")}`,
      {
        hint: `Run: ${open.map((p) => `chmod ${p.kind === "dir" ? "700" : "600"} ${shellQuote(p.path)}`).join(" && ")}`,
      },
    );
  }
  return present.length === 0
    ? "nothing to check yet"
    : `${present.map((p) => p.path).join(", ")}: only this user can read them`;
}

function statIfPresent(path: string): { mode: number } | undefined {
  try {
    return fs.statSync(path);
  } catch {
    return undefined;
  }
}

function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
