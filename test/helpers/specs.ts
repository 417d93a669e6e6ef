import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(fileURLToPath(import.meta.url), "../../..");

/** The vendors' OpenAPI documents live beside the project, in ../shared/specs (not copied in). */
export const SPECS_DIR = process.env.FRONT_TWILIO_SPECS_DIR ?? resolve(repoRoot, "../shared/specs");

export function specsPresent(): boolean {
  return existsSync(resolve(SPECS_DIR, "front-core-api.json"));
}

export function contractChecksRequired(): boolean {
  return process.env.CI === "true" || process.env.CI === "1";
}
