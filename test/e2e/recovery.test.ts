import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli.js";
import { eventually, freePort } from "../helpers/net.js";
import { startStandIns, type StandIns } from "../helpers/stand-ins.js";

const CUSTOMER = "+14155550123";

describe("recovery after downtime: reconcile, serve's catch-up, queue (the built binary)", () => {
  let s: StandIns;
  let env: Record<string, string>;
  beforeEach(async () => {
    s = await startStandIns();
    const port = await freePort();
    env = {
      ...s.env,
      FRONT_API_TOKEN: s.front.token,
      FRONT_CHANNEL_ID: "cha_sms",
      FRONT_TWILIO_WEBHOOK_TOKEN: "recovery-token-0123456789abcdef",
      TWILIO_ACCOUNT_SID: s.twilio.accountSid,
      TWILIO_AUTH_TOKEN: s.twilio.authToken,
      TWILIO_PHONE_NUMBER: "+14155550100",
      FRONT_TWILIO_DATA_DIR: `${s.configDir}/data`,
      FRONT_TWILIO_PUBLIC_URL: `http://127.0.0.1:${port}`,
      PORT: String(port),
      FRONT_TWILIO_HOST: "127.0.0.1",
      FRONT_TWILIO_RETRY_BASE_MS: "50",
    };
  });
  afterEach(async () => {
    expect(await s.close()).toEqual([]);
  });

  it("reconcile delivers what arrived while the bridge was down, exactly once, also when run twice", async () => {
    s.twilio.receiveWhileDown({
      from: CUSTOMER,
      body: "are you there?",
      sentAt: new Date(Date.now() - 30 * 60_000),
    });
    s.twilio.receiveWhileDown({
      from: CUSTOMER,
      body: "hello??",
      sentAt: new Date(Date.now() - 10 * 60_000),
    });
    s.twilio.receiveWhileDown({
      from: CUSTOMER,
      body: "too old",
      sentAt: new Date(Date.now() - 5 * 3600_000),
    });
    const first = await runCli(["reconcile", "--since", "2h"], env);
    expect(first.stdout).toContain("Twilio received 2 message(s) for +14155550100");
    expect(first.stdout).toContain("2 had not reached the bridge");
    expect(first.stdout).toContain("Delivered 2 to Front.");
    expect(first.code).toBe(0);
    expect(s.front.incoming.map((m) => m.message.body)).toEqual(["are you there?", "hello??"]);
    const listing = s.twilio.requests.find(
      (r) => r.path.endsWith("/Messages.json") && r.method === "GET",
    )!;
    expect(listing.query).toMatchObject({ To: "+14155550100" });
    expect(listing.query["DateSent>"]).toBeDefined();

    const second = await runCli(["reconcile", "--since", "2h"], env);
    expect(second.stdout).toContain("0 had not reached the bridge");
    expect(second.code).toBe(0);
    expect(s.front.incoming).toHaveLength(2);
  });

  it("reconcile pages through Twilio's list", async () => {
    for (let n = 0; n < 130; n++)
      s.twilio.receiveWhileDown({
        from: CUSTOMER,
        body: `msg ${n}`,
        sentAt: new Date(Date.now() - (200 - n) * 1000),
      });
    const result = await runCli(["reconcile", "--since", "1h"], {
      ...env,
      FRONT_TWILIO_PACE_MS: "5",
    });
    expect(result.stdout).toContain("Twilio received 130 message(s)");
    expect(s.twilio.requests.filter((r) => r.path.endsWith("/Messages.json")).length).toBe(2);
    await eventually(() => s.front.incoming.length === 130);
    expect(s.front.incoming.map((m) => m.message.body)).toEqual(
      Array.from({ length: 130 }, (_, n) => `msg ${n}`),
    );
  });

  it("serve catches up on the time it was down, at start", async () => {
    let bridge = startCli(["serve"], env);
    await bridge.waitForOutput(/Press Ctrl\+C/);
    bridge.child.kill("SIGTERM");
    await bridge.exited;
    s.twilio.receiveWhileDown({ from: CUSTOMER, body: "sent during downtime" });
    bridge = startCli(["serve"], env);
    try {
      await bridge.waitForOutput(
        /catch-up of \+14155550100 since .*: 1 message\(s\) in Twilio, 1 recovered/,
      );
      await eventually(() => s.front.incoming.length === 1);
      expect(s.front.incoming[0]!.message.body).toBe("sent during downtime");
    } finally {
      bridge.child.kill("SIGTERM");
      await bridge.exited;
    }
  });

  it("queue lists failing messages with attempts and error, retries one, drops another", async () => {
    const refuse = {
      status: 400,
      body: { _error: { status: 400, title: "Bad request", message: "handle rejected" } },
    };
    s.front.fail((r) => r.path.endsWith("/incoming_messages"), refuse, refuse);
    s.twilio.receiveWhileDown({ from: CUSTOMER, body: "first" });
    s.twilio.receiveWhileDown({ from: "+14155550124", body: "second" });
    expect((await runCli(["reconcile", "--since", "1h"], env)).code).toBe(1);

    const listed = await runCli(["queue", "list", "--json"], env);
    const jobs = JSON.parse(listed.stdout) as {
      id: number;
      state: string;
      attempts: number;
      lastError: string;
    }[];
    expect(jobs).toHaveLength(2);
    expect(jobs[0]).toMatchObject({
      state: "dead",
      attempts: 1,
      lastError: "Front answered 400: Bad request: handle rejected",
    });
    const human = await runCli(["queue"], env);
    expect(human.stdout).toMatch(/^JOB +KIND +STATE +ATTEMPTS +NEXT TRY +AGE +KEY$/m);
    expect(human.stdout).toMatch(new RegExp(`^${jobs[0]!.id} +inbound +dead +1 +- `, "m"));
    expect(human.stdout).toContain("reason: Front answered 400: Bad request: handle rejected");

    const [retried, dropped] = jobs.map((job) => String(job.id)) as [string, string];
    expect((await runCli(["queue", "retry", retried], env)).code).toBe(0);
    expect((await runCli(["queue", "drop", dropped], env)).code).toBe(0);
    const bridge = startCli(["serve"], env);
    try {
      await eventually(() => s.front.incoming.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      bridge.child.kill("SIGTERM");
      await bridge.exited;
    }
    expect(s.front.incoming).toHaveLength(1);
    expect((await runCli(["queue"], env)).stdout).toContain("The queue is empty");
    const all = (await runCli(["queue", "list", "--all"], env)).stdout;
    expect(all).toMatch(new RegExp(`^${retried} +inbound +delivered `, "m"));
    expect(all).toMatch(new RegExp(`^${dropped} +inbound +dropped `, "m"));
    expect(all).toContain(
      "reason: dropped with `queue drop`; last error: Front answered 400: Bad request: handle rejected",
    );
    const again = await runCli(["queue", "drop", retried], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `#${retried} is delivered; only waiting or dead jobs can be dropped.`,
    );
    expect((await runCli(["queue", "retry", "abc"], env)).code).toBe(2);
  });
});
