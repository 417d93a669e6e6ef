import chalk from "chalk";
import { CommanderError } from "commander";
import { applyColorChoice } from "./color.js";
import { withDotenv } from "./dotenv.js";
import { isBridgeError } from "./errors.js";
import { buildProgram } from "./program.js";
import type { MainDeps } from "./commands/context.js";

/** Exit codes, documented in the README ("Exit codes and errors"). */
export const EXIT = { ok: 0, failed: 1, usage: 2, notProven: 3, internal: 70 } as const;

/** Runs the CLI; returns the exit code. Expected failures print a message and a hint, no stack. */
export async function main(argv: string[], deps: MainDeps = {}): Promise<number> {
  const stderr = deps.stderr ?? process.stderr;
  // Under --json an error is one JSON object on stderr, so a script can read it.
  const json = argv.includes("--json");
  const fail = (code: string, message: string, hint?: string) => {
    if (json)
      stderr.write(`${JSON.stringify({ error: { code, message, ...(hint ? { hint } : {}) } })}\n`);
    else {
      stderr.write(`${chalk.red("✖")} ${message}\n`);
      if (hint) stderr.write(`${chalk.dim("→")} ${hint}\n`);
    }
  };
  let exitCode = 0;
  try {
    const env = withDotenv(deps.env ?? process.env, deps.cwd ?? process.cwd());
    applyColorChoice(argv, env);
    const program = buildProgram({ ...deps, env, json }, (code) => (exitCode = code));
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; usage errors were already printed.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isBridgeError(error)) {
      fail(error.code, error.message, error.hint);
      return error.exitCode;
    }
    const stack = (error as Error)?.stack ?? String(error);
    if (json) fail("internal", stack, "This is a bug in front-twilio; please report it.");
    else {
      stderr.write(`${chalk.red("✖ Unexpected error:")} ${stack}\n`);
      stderr.write("This is a bug in front-twilio; please report it with the lines above.\n");
    }
    return EXIT.internal;
  }
}
