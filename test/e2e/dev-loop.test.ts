import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTunnelStandIn, type TunnelStandIn } from "../helpers/tunnel-stand-in.js";
import { runCli, startCli, type RunningCli } from "../helpers/cli.js";
import { standInInitFlags, startStandIns, type StandIns } from "../helpers/stand-ins.js";

const CUSTOMER = "+14155550123";

interface Report {
  ok: boolean;
  checks: { name: string; status: string; detail: string; fix?: string }[];
}

/** Terminal 1 runs `serve --tunnel`; terminal 2 runs the other commands with no extra flags. */
describe("the dev loop: serve --tunnel, then the other commands in a second terminal", () => {
  let s: StandIns;
  let tunnels: TunnelStandIn;
  let bridge: RunningCli | undefined;

  beforeEach(async () => {
    s = await startStandIns();
    tunnels = await startTunnelStandIn();
    const init = await runCli(
      ["init", "--no-interactive", "--tunnel", ...standInInitFlags(s)],
      s.env,
    );
    expect(init.code, init.stdout + init.stderr).toBe(0);
  });
  afterEach(async () => {
    if (bridge && bridge.child.exitCode === null) bridge.child.kill("SIGKILL");
    await tunnels.close();
    expect(await s.close()).toEqual([]);
  });

  it("send-test --via-bridge, doctor, status and simulate find the live tunnel and sign for it", async () => {
    bridge = startCli(
      ["serve", "--tunnel", "--tunnel-host", tunnels.url, "--port", "0", "--host", "127.0.0.1"],
      s.env,
    );
    await bridge.waitForOutput(/Press Ctrl\+C/);
    const [, tunnel] = [...tunnels.tunnels.entries()][0]!;
    expect(bridge.output()).toMatch(/Listening on\s+http:\/\/127\.0\.0\.1:\d+/);

    const sent = await runCli(["send-test", "--via-bridge", "--to", CUSTOMER], s.env);
    expect(sent.stdout).toContain(`Posting a signed test webhook to ${tunnel.url}/twilio/sms`);
    expect(sent.stdout).toMatch(/✔ The bridge delivered it to Front/);
    expect(sent.code).toBe(0);

    const doctor = await runCli(["doctor", "--json"], s.env);
    const report = JSON.parse(doctor.stdout) as Report;
    expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
    const pid = String(bridge.child.pid);
    expect(report.checks.find((c) => c.name === "Twilio number SMS URL")!.detail).toContain(
      `${tunnel.url}/twilio/sms (POST) (the live tunnel of \`serve --tunnel\`, pid ${pid})`,
    );
    expect(doctor.code).toBe(0);

    const status = await runCli(["status"], s.env);
    expect(status.stdout).toMatch(/Customer messages received\s+1/);
    expect(status.code).toBe(0);

    const simulated = await runCli(
      ["simulate", "sms", "--from", CUSTOMER, "--body", "simulated"],
      s.env,
    );
    expect(simulated.stdout).toContain(`--> POST ${tunnel.url}/twilio/sms`);
    expect(simulated.stdout).toContain("<-- 200");
    expect(simulated.code).toBe(0);

    bridge.child.kill("SIGINT");
    const stopped = await bridge.exited;
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(0);
    expect(existsSync(join(s.configDir, "data", "default", "serve.json"))).toBe(false);
  });

  it("doctor never advises init while the tunnel is live, and ignores a dead bridge's record", async () => {
    bridge = startCli(
      ["serve", "--tunnel", "--tunnel-host", tunnels.url, "--port", "0", "--host", "127.0.0.1"],
      s.env,
    );
    await bridge.waitForOutput(/Press Ctrl\+C/);
    // Someone re-pointed the number behind the running tunnel's back.
    s.twilio.numbers[0]!.sms_url = "https://elsewhere.example.com/sms";
    const doctor = await runCli(["doctor", "--json"], s.env);
    const check = (JSON.parse(doctor.stdout) as Report).checks.find(
      (c) => c.name === "Twilio number SMS URL",
    )!;
    expect(check.status).toBe("fail");
    expect(check.fix).toContain(`(pid ${bridge.child.pid}) points it at its tunnel`);
    expect(check.fix).toMatch(/Do not re-run `front-twilio init` while it runs/);

    bridge.child.kill("SIGKILL");
    await bridge.exited;
    const after = await runCli(["send-test", "--via-bridge", "--to", CUSTOMER], s.env);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("send-test --via-bridge needs settings that are missing");
    expect(after.stderr).toContain("bridge.publicUrl");
  });
});
