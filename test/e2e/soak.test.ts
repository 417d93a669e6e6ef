import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

interface DirectionResult {
  sent: number;
  lost: number;
  duplicated: number;
  examples: string[];
}

/** Runs `soak/run.mjs` (the built binary, SIGKILLed at random moments) and reads its JSON line. */
function runSoak(
  args: string[],
): Promise<{ code: number | null; result: unknown; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["soak/run.mjs", "--json", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => {
      const last = stdout.trim().split("\n").at(-1) ?? "";
      let result: unknown;
      try {
        result = JSON.parse(last);
      } catch {
        result = stdout;
      }
      resolve({ code, result, stderr });
    });
  });
}

describe("soak: kill -9 at random moments while messages flow both ways", () => {
  it("loses nothing in either direction and sends no SMS twice (200 each way, 5 kills)", async () => {
    const { code, result, stderr } = await runSoak(["--each", "200", "--kills", "5"]);
    const soak = result as { inbound: DirectionResult; outbound: DirectionResult; kills: number };
    expect(stderr).toBe("");
    expect(soak.kills).toBe(5);
    expect(soak.outbound).toMatchObject({ sent: 200, lost: 0, duplicated: 0 });
    expect(soak.inbound).toMatchObject({ sent: 200, lost: 0 });
    // Inbound duplicates can remain (the first message of a new conversation, when a kill lands
    // between Front's answer and the commit; see docs/reliability.md): reported, not failed on.
    expect(code).toBe(0);
  }, 120_000);
});
