import { hostname } from "node:os";

/** Identifies this process as a lease holder. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * True when `owner` was a process on this host that no longer runs (it crashed or was killed),
 * so its leased jobs can be taken back at once. Owners on other hosts wait for lease expiry.
 */
export function isDeadLocalOwner(owner: string, self = processOwner()): boolean {
  if (owner === self) return false;
  const separator = owner.lastIndexOf(":");
  if (owner.slice(0, separator) !== hostname()) return false;
  const pid = Number(owner.slice(separator + 1));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
