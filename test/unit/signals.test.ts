import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { stopRequested } from "../../src/signals.js";

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

describe("stopRequested", () => {
  it("resolves on the first signal; a second Ctrl+C exits at once; an immediate echo is ignored", async () => {
    const target = new EventEmitter();
    const exits: number[] = [];
    const stop = stopRequested({
      target: target as never,
      stderr: quiet,
      exit: (code) => void exits.push(code),
      graceMs: 60_000,
    });
    target.emit("SIGINT", "SIGINT");
    expect(await stop).toBe("SIGINT");
    // conf's atomic writer re-raises the signal it saw: not a second Ctrl+C.
    target.emit("SIGINT", "SIGINT");
    expect(exits).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    target.emit("SIGINT", "SIGINT");
    expect(exits).toEqual([130]);
  });

  it("exits with 128+n when stopping takes longer than the grace period", async () => {
    const target = new EventEmitter();
    const exits: number[] = [];
    void stopRequested({
      target: target as never,
      stderr: quiet,
      exit: (code) => void exits.push(code),
      graceMs: 50,
    });
    target.emit("SIGTERM", "SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(exits).toEqual([143]);
  });
});
