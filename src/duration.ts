import { BridgeError } from "./errors.js";

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "2h", "1d" (or "0") → milliseconds; `flag` names the option in the error. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/i.exec(value.trim());
  if (!match || (match[2] === "" && Number(match[1]) !== 0)) {
    throw new BridgeError(`${flag} ${value}: expected a duration such as 30m, 2h or 1d.`, {
      exitCode: 2,
    });
  }
  return Math.round(Number(match[1]) * (UNITS[match[2]!.toLowerCase()] ?? 0));
}
