import { SPECS_DIR, contractChecksRequired, specsPresent } from "./specs.js";

/** Says once, loudly, whether requests are checked against the vendors' OpenAPI documents. */
export function setup(): void {
  if (specsPresent()) {
    console.log(`contract checks: ON — every stand-in request is validated against ${SPECS_DIR}`);
    return;
  }
  if (contractChecksRequired()) {
    throw new Error(
      `CI=true but the OpenAPI documents are missing at ${SPECS_DIR}; contract checks must run in CI.`,
    );
  }
  console.warn(
    `\n⚠ contract checks SKIPPED: ${SPECS_DIR} not found (they run in CI, where ../shared is present).\n`,
  );
}
