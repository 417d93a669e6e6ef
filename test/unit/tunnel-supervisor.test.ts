import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { createTunnelSupervisor } from "../../src/tunnel/supervisor.js";
import type { OpenTunnel, TunnelOptions } from "../../src/tunnel/tunnel.js";
import { eventually } from "../helpers/net.js";
import { recordingLogger } from "../helpers/recording-logger.js";

describe("tunnel supervisor", () => {
  it("reopens a dropped tunnel with backoff, through failures, and re-points at each new URL", async () => {
    const downs: TunnelOptions["onDown"][] = [];
    let opens = 0;
    const closed: string[] = [];
    const open: OpenTunnel = async (options) => {
      opens++;
      if (opens === 2 || opens === 3) throw new Error("tunnel server unreachable");
      downs.push(options.onDown);
      const url = `https://t${opens}.example`;
      return { url, close: async () => void closed.push(url) };
    };
    const urls: string[] = [];
    const logger = recordingLogger();
    const supervisor = createTunnelSupervisor({
      open,
      tunnel: { port: 1, localHost: "127.0.0.1" },
      onUrl: async (url) => void urls.push(url),
      logger,
      clock: systemClock,
      retryBaseMs: 5,
    });
    expect(await supervisor.start()).toBe("https://t1.example");
    downs[0]!("connection refused");
    await eventually(() => urls.length === 2);
    expect(urls).toEqual(["https://t1.example", "https://t4.example"]);
    expect(closed).toEqual(["https://t1.example"]);
    expect(logger.lines.filter((l) => l.includes("could not reopen"))).toHaveLength(2);
    await supervisor.stop();
    expect(closed).toEqual(["https://t1.example", "https://t4.example"]);
  });

  it("keeps running when re-pointing fails, and stops retrying once stopped", async () => {
    let onDown: TunnelOptions["onDown"] = () => undefined;
    let opens = 0;
    const open: OpenTunnel = async (options) => {
      opens++;
      onDown = options.onDown;
      if (opens > 1) throw new Error("still down");
      return { url: "https://t.example", close: async () => undefined };
    };
    const logger = recordingLogger();
    const supervisor = createTunnelSupervisor({
      open,
      tunnel: { port: 1, localHost: "127.0.0.1" },
      onUrl: async () => undefined,
      logger,
      clock: systemClock,
      retryBaseMs: 5,
    });
    await supervisor.start();
    onDown("gone");
    await eventually(() => opens >= 3);
    await supervisor.stop();
    const after = opens;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(opens).toBe(after);
  });
});
