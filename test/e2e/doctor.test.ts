import Database from "better-sqlite3";
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteStore } from "../../src/store/sqlite-store.js";
import { runCli, startCli, type RunningCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";
import { standInInitFlags, startStandIns, type StandIns } from "../helpers/stand-ins.js";

interface Report {
  ok: boolean;
  checks: { name: string; status: string; detail: string; fix?: string }[];
}

describe("front-twilio doctor (the built binary)", () => {
  let s: StandIns;
  let bridge: RunningCli;
  let publicUrl: string;

  beforeAll(async () => {
    s = await startStandIns();
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    const init = await runCli(
      ["init", "--no-interactive", ...standInInitFlags(s), "--public-url", publicUrl],
      s.env,
    );
    expect(init.code).toBe(0);
    bridge = startCli(["serve", "--port", String(port), "--host", "127.0.0.1"], s.env);
    await bridge.waitForOutput(/Press Ctrl\+C/);
  });
  afterAll(async () => {
    if (bridge.child.exitCode === null) bridge.child.kill("SIGKILL");
    expect(await s.close()).toEqual([]);
  });

  const doctor = async (env: Record<string, string> = {}) => {
    const result = await runCli(["doctor", "--json"], { ...s.env, ...env });
    return { code: result.code, report: JSON.parse(result.stdout) as Report };
  };
  const check = (report: Report, name: string) => report.checks.find((c) => c.name === name)!;

  it("passes every check on a good setup, and says so for a person too", async () => {
    const { code, report } = await doctor();
    expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
    const human = await runCli(["doctor"], s.env);
    expect(human.stdout).toContain("✔ Front API token: works for Acme Support");
    expect(human.stdout).toContain("All checks passed.");
  });

  it("names the fix when the number's SMS URL was changed elsewhere", async () => {
    const saved = s.twilio.numbers[0]!.sms_url;
    s.twilio.numbers[0]!.sms_url = "https://old-helpdesk.example/sms";
    const { code, report } = await doctor();
    s.twilio.numbers[0]!.sms_url = saved;
    expect(code).toBe(1);
    expect(check(report, "Twilio number SMS URL")).toMatchObject({
      status: "fail",
      detail: `the number sends SMS to https://old-helpdesk.example/sms (POST), not to ${publicUrl}/twilio/sms (POST)`,
      fix: "Run `front-twilio init` again to set it.",
    });
  });

  it("names the fix when the Front channel posts elsewhere", async () => {
    const channel = s.front.channels.get("cha_sms")!;
    const saved = channel.settings.webhook_url!;
    channel.settings.webhook_url = "https://elsewhere.example/hook";
    const { report } = await doctor();
    channel.settings.webhook_url = saved;
    expect(check(report, "Front channel webhook URL")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("front-twilio init") as string,
    });
  });

  it("fails with Front's steps when no rule sends the auto first reply with its tag", async () => {
    expect(check((await doctor()).report, "Front first-response rule")).toMatchObject({
      status: "pass",
      detail: expect.stringContaining("SMS first response") as string,
    });
    const saved = s.front.tags.rules;
    s.front.tags.rules = [
      { id: "rul_1", name: "VIP", actions: ["Tag with VIP"], is_private: false },
    ];
    const { code, report } = await doctor();
    s.front.tags.rules = saved;
    expect(code).toBe(1);
    expect(check(report, "Front first-response rule")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("no Front rule sends an automatic first reply") as string,
      fix: expect.stringMatching(
        /Settings → Rules → New rule.*Add tag sms-first-response-sent/,
      ) as string,
    });
  });

  it("names the fix for a Messaging Service that takes inbound SMS", async () => {
    s.twilio.services.push({
      sid: `MG${"4".repeat(32)}`,
      friendly_name: "Alerts",
      use_inbound_webhook_on_number: false,
      inbound_request_url: null,
      senders: [s.twilio.numbers[0]!.sid],
    });
    const { report } = await doctor();
    s.twilio.services.pop();
    expect(check(report, "Inbound SMS precedence")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("front-twilio init --fix") as string,
    });
  });

  it("names the fix for wrong credentials and skips what depends on them", async () => {
    const { report } = await doctor({ FRONT_API_TOKEN: "revoked", TWILIO_AUTH_TOKEN: "rotated" });
    expect(check(report, "Front API token")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("FRONT_API_TOKEN") as string,
    });
    expect(check(report, "Front channel").status).toBe("skipped");
    expect(check(report, "Twilio number")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("TWILIO_AUTH_TOKEN") as string,
    });
  });

  it("names the exact chmod when others can read the data dir or the config file", async () => {
    const dataDir = join(s.configDir, "data", "default");
    const configFile = (await runCli(["config", "path"], s.env)).stdout.trim();
    chmodSync(dataDir, 0o755);
    chmodSync(configFile, 0o644);
    const { report } = await doctor();
    chmodSync(dataDir, 0o700);
    chmodSync(configFile, 0o600);
    expect(check(report, "File permissions")).toEqual({
      name: "File permissions",
      status: "fail",
      detail: `others on this machine can read ${configFile} (mode 644), ${dataDir} (mode 755)`,
      fix: `Run: chmod 600 ${configFile} && chmod 700 ${dataDir}`,
    });
    expect(check((await doctor()).report, "File permissions").status).toBe("pass");
  });

  it("names the fix for dead letters in the store", async () => {
    const config = JSON.parse(
      (await runCli(["config", "get", "bridge.dataDir", "--json"], s.env)).stdout,
    ) as { value: string };
    const store = createSqliteStore(new Database(join(config.value, "bridge.sqlite")));
    const { job } = await store.enqueue(
      { kind: "inbound", dedupeKey: "in:SMdead", route: "r", orderKey: "k", payload: {} },
      Date.now(),
    );
    await store.deadLetter(job.id, Date.now(), "Front answered 400");
    await store.close();
    const { report } = await doctor();
    expect(check(report, "Store")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("1 message(s) in the dead letters") as string,
    });
  });

  it("names the fix when the bridge is not reachable, and when configuration is missing", async () => {
    bridge.child.kill("SIGKILL");
    await bridge.exited;
    const { report } = await doctor();
    expect(check(report, "Bridge reachable at its public URL")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("front-twilio serve") as string,
    });
    const empty = await doctor({ FRONT_TWILIO_CONFIG_DIR: join(s.configDir, "empty") });
    expect(empty.code).toBe(1);
    expect(check(empty.report, "Configuration")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("front.apiToken") as string,
    });
  });
});
