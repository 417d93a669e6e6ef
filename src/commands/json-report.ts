import { Writable } from "node:stream";
import type { CommandContext } from "./context.js";

const OUTCOMES: Record<number, string> = { 0: "ok", 1: "failed", 2: "usage", 3: "not_proven" };

/**
 * `--json` for the commands that report as they go (send-test, init, reconcile, simulate): their
 * lines are collected and printed at the end as one object, `{ok, exitCode, outcome, result,
 * lines}`, where `result` is the final ✔/✖ line without its mark. Errors are left to the CLI,
 * which prints them as one JSON object on stderr.
 */
export async function reportAsJson(
  json: boolean | undefined,
  context: CommandContext,
  run: (context: CommandContext) => Promise<number>,
): Promise<number> {
  if (!json) return run(context);
  const lines: string[] = [];
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      // eslint-disable-next-line no-control-regex
      const text = chunk.toString().replace(/\u001b\[[0-9;]*m/g, "");
      lines.push(...text.split("\n").filter((line) => line.trim() !== ""));
      done();
    },
  });
  const exitCode = await run({ ...context, stdout: collect });
  const final = [...lines].reverse().find((line) => /^\s*[✔✖]/.test(line));
  const report = {
    ok: exitCode === 0,
    exitCode,
    outcome: OUTCOMES[exitCode] ?? "failed",
    ...(final ? { result: final.replace(/^\s*[✔✖]\s*/, "") } : {}),
    lines,
  };
  context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return exitCode;
}
