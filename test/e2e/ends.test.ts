import { createServer, type Server, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanEnv, runCli, startCli, tempDir, type RunningCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";
import { startStandIns, type StandIns } from "../helpers/stand-ins.js";

/** Every command ends: a clear error and a non-zero exit within seconds, or a prompt stop on a signal. */
describe("processes that always end (the built binary)", () => {
  let s: StandIns;
  let env: Record<string, string>;
  let running: RunningCli | undefined;
  beforeEach(async () => {
    s = await startStandIns();
    env = {
      ...s.env,
      FRONT_API_TOKEN: s.front.token,
      FRONT_CHANNEL_ID: "cha_sms",
      FRONT_TWILIO_WEBHOOK_TOKEN: "ends-webhook-token-0123456789abcd",
      TWILIO_ACCOUNT_SID: s.twilio.accountSid,
      TWILIO_AUTH_TOKEN: s.twilio.authToken,
      TWILIO_PHONE_NUMBER: "+14155550100",
    };
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
    expect(await s.close()).toEqual([]);
  });

  it("serve --tunnel with an unreachable tunnel server exits 1 with the cause and the flag", async () => {
    const port = await freePort();
    const started = Date.now();
    const result = await runCli(
      ["serve", "--tunnel", "--tunnel-host", `http://127.0.0.1:${port}`, "--port", "0"],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `✖ The tunnel server http://127.0.0.1:${port} cannot be reached (ECONNREFUSED).`,
    );
    expect(result.stderr).toContain("--tunnel-host");
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("serve --tunnel stops within 5 s on SIGTERM while the tunnel server is silent", async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      running = startCli(
        ["serve", "--tunnel", "--tunnel-host", `http://127.0.0.1:${port}`, "--port", "0"],
        env,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const signalled = Date.now();
      running.child.kill("SIGTERM");
      const result = await running.exited;
      expect(Date.now() - signalled).toBeLessThan(5_000);
      expect(result.code).toBe(143);
      expect(result.stdout).toContain("Stopped before the bridge was ready.");
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("demo --port <busy> exits 1 naming the port and the flag", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as { port: number };
    try {
      const result = await runCli(["demo", "--port", String(port)], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`✖ Port ${port} is already in use.`);
      expect(result.stderr).toContain("--port");
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});

describe("demo --keep and send-test (the built binary)", () => {
  it("prints the environment that points send-test at the stand-ins; send-test finishes in seconds", async () => {
    const demo = startCli(["demo", "--keep"], {
      ...cleanEnv(),
      FRONT_TWILIO_CONFIG_DIR: tempDir(),
    });
    try {
      await demo.waitForOutput(/Press Ctrl\+C to stop/);
      const env: Record<string, string> = {};
      for (const [, name, value] of demo.output().matchAll(/^\s+(?:export )?([A-Z_]+)=(\S+)/gm))
        env[name!] = value!;
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining(["FRONT_API_URL", "TWILIO_API_URL", "TWILIO_AUTH_TOKEN"]),
      );
      const started = Date.now();
      const sent = await runCli(["send-test", "--to", "+14155550123"], {
        PATH: process.env.PATH ?? "",
        NO_COLOR: "1",
        ...env,
      });
      expect(sent.stdout).toMatch(/✔ Delivered to \+14155550123/);
      expect(sent.code).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      const viaBridge = await runCli(["send-test", "--via-bridge", "--to", "+14155550123"], {
        PATH: process.env.PATH ?? "",
        ...env,
      });
      expect(viaBridge.stdout).toMatch(/✔ The bridge delivered it to Front/);
      const doctor = await runCli(["doctor"], { PATH: process.env.PATH ?? "", ...env });
      expect(doctor.stdout).toContain("✔ Twilio number SMS URL");
    } finally {
      demo.child.kill("SIGINT");
    }
    expect((await demo.exited).code).toBe(0);
  });
});
