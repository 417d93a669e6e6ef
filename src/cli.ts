import chalk from "chalk";
import { CommanderError } from "commander";
import { isBridgeError } from "./errors.js";
import { buildProgram } from "./program.js";

export interface MainDeps {
  env?: Record<string, string | undefined>;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** Runs the CLI; returns the exit code. Expected failures print a message and a hint, no stack. */
export async function main(argv: string[], deps: MainDeps = {}): Promise<number> {
  const stderr = deps.stderr ?? process.stderr;
  let exitCode = 0;
  const program = buildProgram(deps, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isBridgeError(error)) {
      stderr.write(`${chalk.red("✖")} ${error.message}\n`);
      if (error.hint) stderr.write(`${chalk.dim("→")} ${error.hint}\n`);
      return error.exitCode;
    }
    stderr.write(
      `${chalk.red("✖ Unexpected error:")} ${(error as Error)?.stack ?? String(error)}\n`,
    );
    stderr.write("This is a bug in front-twilio; please report it with the lines above.\n");
    return 70;
  }
}
