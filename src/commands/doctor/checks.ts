import chalk from "chalk";
import { errorMessage, isBridgeError } from "../../errors.js";
import type { CommandContext } from "../context.js";

export interface CheckResult {
  name: string;
  status: "pass" | "fail" | "skipped";
  detail: string;
  fix?: string;
}

/** Runs one check unless a value it needs is missing (an earlier check failed). */
export type Record = (
  name: string,
  needs: unknown[],
  run: () => Promise<string>,
  fix?: string,
) => Promise<void>;

export function createChecks(skippedBecause: () => string) {
  const results: CheckResult[] = [];
  const record: Record = async (name, needs, run, fix) => {
    if (needs.some((need) => need === undefined)) {
      results.push({ name, status: "skipped", detail: skippedBecause() });
      return;
    }
    try {
      results.push({ name, status: "pass", detail: await run() });
    } catch (error) {
      const hint = isBridgeError(error) ? error.hint : undefined;
      results.push({
        name,
        status: "fail",
        detail: errorMessage(error),
        ...((hint ?? fix) ? { fix: (hint ?? fix)! } : {}),
      });
    }
  };
  return { results, record };
}

export function report(results: CheckResult[], json: boolean, context: CommandContext) {
  if (json) {
    context.stdout.write(
      `${JSON.stringify({ ok: results.every((r) => r.status === "pass"), checks: results }, null, 2)}\n`,
    );
    return;
  }
  for (const result of results) {
    const mark = { pass: chalk.green("✔"), fail: chalk.red("✖"), skipped: chalk.dim("–") }[
      result.status
    ];
    context.stdout.write(`${mark} ${result.name}: ${result.detail}\n`);
    if (result.fix) context.stdout.write(`    ${chalk.dim("→")} ${result.fix}\n`);
  }
  const failed = results.filter((r) => r.status !== "pass").length;
  context.stdout.write(
    failed
      ? chalk.red(`\n${failed} check(s) did not pass.\n`)
      : chalk.green("\nAll checks passed.\n"),
  );
}
