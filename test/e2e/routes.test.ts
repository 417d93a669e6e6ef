import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFrontStandIn, type FrontStandIn } from "../../src/stand-ins/front-stand-in.js";
import { startTunnelStandIn } from "../helpers/tunnel-stand-in.js";
import { startTwilioStandIn, type TwilioStandIn } from "../../src/stand-ins/twilio-stand-in.js";
import { runCli, standInCliEnv, startCli, stopAll, type RunningCli } from "../helpers/cli.js";
import { contractValidators } from "../helpers/contract.js";
import { eventually, freePort } from "../helpers/net.js";

const SUPPORT = "+14155550100";
const SALES = "+14155550111";
const UNROUTED = "+14155550199";
const CUSTOMER = "+14155550123";

interface ListedRoute {
  number: string;
  channel: string;
  inbox: string;
  webhookPath: string;
}

/** Two routes in one bridge: set up with `routes add`, carried both ways, never crossed. */
describe("several routes (the built binary, two numbers and two channels)", () => {
  let front: FrontStandIn;
  let twilio: TwilioStandIn;
  let env: Record<string, string>;
  let publicUrl: string;
  let port: number;
  const running: RunningCli[] = [];

  beforeEach(async () => {
    const contract = await contractValidators();
    port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    front = await startFrontStandIn({
      validate: contract.front,
      channel: { id: "cha_support", inboxId: "inb_support" },
    });
    front.channels.set("cha_sales", {
      id: "cha_sales",
      name: "Sales SMS",
      type: "custom",
      is_valid: true,
      inboxId: "inb_sales",
      settings: {},
    });
    twilio = await startTwilioStandIn({ validate: contract.twilio, phoneNumber: SUPPORT });
    for (const [number, smsUrl] of [
      [SALES, ""],
      [UNROUTED, `${publicUrl}/twilio/sms`],
    ] as const)
      twilio.numbers.push({
        sid: `PN${number.slice(1).padEnd(32, "0")}`,
        phone_number: number,
        friendly_name: number,
        sms_url: smsUrl,
        sms_method: "POST",
        sms_application_sid: "",
        capabilities: { voice: true, sms: true, mms: true, fax: false },
      });
    env = standInCliEnv(front, twilio, {
      FRONT_TWILIO_PUBLIC_URL: publicUrl,
      FRONT_TWILIO_RETRY_BASE_MS: "50",
      FRONT_TWILIO_SEND_DEADLINE_MS: "2000",
    });
  });

  afterEach(async () => {
    expect(await stopAll(running, front, twilio)).toEqual([]);
  });

  async function addRoutes(): Promise<ListedRoute[]> {
    for (const [number, channel, inbox] of [
      [SUPPORT, "cha_support", "inb_support"],
      [SALES, "cha_sales", "inb_sales"],
    ]) {
      const added = await runCli(
        [
          "routes",
          "add",
          "--number",
          number!,
          "--channel",
          channel!,
          "--inbox",
          inbox!,
          "--no-interactive",
        ],
        env,
      );
      expect(added.stderr).toBe("");
      expect(added.code).toBe(0);
      expect(added.stdout).toContain(`Added the route ${number} → ${channel}`);
    }
    const listed = await runCli(["routes", "list", "--json"], env);
    return JSON.parse(listed.stdout) as ListedRoute[];
  }

  it("routes add checks and points both sides; routes list and remove", async () => {
    const routes = await addRoutes();
    expect(routes).toMatchObject([
      { number: SUPPORT, channel: "cha_support", inbox: "inb_support" },
      { number: SALES, channel: "cha_sales", inbox: "inb_sales" },
    ]);
    const [support, sales] = routes;
    expect(support!.webhookPath).toMatch(/^\/front\/[\w-]{22}$/);
    expect(sales!.webhookPath).not.toBe(support!.webhookPath);
    // Each number's SMS URL and each channel's webhook point at the bridge.
    for (const number of [SUPPORT, SALES])
      expect(twilio.numbers.find((n) => n.phone_number === number)!.sms_url).toBe(
        `${publicUrl}/twilio/sms`,
      );
    expect(front.channels.get("cha_support")!.settings.webhook_url).toBe(
      `${publicUrl}${support!.webhookPath}`,
    );
    expect(front.channels.get("cha_sales")!.settings.webhook_url).toBe(
      `${publicUrl}${sales!.webhookPath}`,
    );

    // The channel must be in the inbox named, and the number the account's.
    const wrongInbox = await runCli(
      ["routes", "add", "--number", SALES, "--channel", "cha_sales", "--inbox", "inb_other"],
      env,
    );
    expect(wrongInbox.code).not.toBe(0);
    expect(wrongInbox.stderr).toMatch(/inb_other/);
    const notOurs = await runCli(
      ["routes", "add", "--number", "+14155550177", "--channel", "cha_sales"],
      env,
    );
    expect(notOurs.code).not.toBe(0);
    expect(notOurs.stderr).toMatch(/\+14155550177/);

    const removed = await runCli(["routes", "remove", "--channel", "cha_sales"], env);
    expect(removed.stdout).toContain(`Removed the route ${SALES} → cha_sales`);
    const left = JSON.parse((await runCli(["routes", "list", "--json"], env)).stdout) as unknown[];
    expect(left).toEqual([routes[0]]);
  });

  it("carries messages both ways on each route without crossing; an unrouted number is answered, reported, never delivered", async () => {
    await addRoutes();
    const cli = startCli(["serve", "--port", String(port), "--host", "127.0.0.1"], env);
    running.push(cli);
    await cli.waitForOutput(/Press Ctrl\+C to stop/);
    expect(cli.output()).toContain(`on the numbers ${SUPPORT}, ${SALES}`);

    // One customer texts both numbers: two conversations, one per channel.
    expect(
      (await twilio.sendInboundSms({ to: SUPPORT, from: CUSTOMER, body: "help" })).status,
    ).toBe(200);
    expect(
      (await twilio.sendInboundSms({ to: SALES, from: CUSTOMER, body: "price?" })).status,
    ).toBe(200);
    await eventually(() => front.incoming.length === 2);
    const byChannel = Object.fromEntries(
      front.incoming.map((m) => [m.channelId, m.message as { body: string; metadata: unknown }]),
    );
    expect(byChannel.cha_support).toMatchObject({
      body: "help",
      metadata: { thread_ref: `sms:${CUSTOMER}:${SUPPORT}` },
    });
    expect(byChannel.cha_sales).toMatchObject({
      body: "price?",
      metadata: { thread_ref: `sms:${CUSTOMER}:${SALES}` },
    });

    // Agents answer in each channel; each reply leaves from its route's number.
    expect(
      (await front.sendAgentMessage({ channelId: "cha_sales", to: CUSTOMER, text: "$10" })).status,
    ).toBe(200);
    expect(
      (await front.sendAgentMessage({ channelId: "cha_support", to: CUSTOMER, text: "on it" }))
        .status,
    ).toBe(200);
    await eventually(() => twilio.messages.length === 2);
    expect(Object.fromEntries(twilio.messages.map((m) => [m.body, m.from]))).toEqual({
      $10: SALES,
      "on it": SUPPORT,
    });

    // A number of the account with no route: answered 200, logged, counted, kept for queue.
    const stray = await twilio.sendInboundSms({ to: UNROUTED, from: CUSTOMER, body: "hello?" });
    expect(stray.status).toBe(200);
    await cli.waitForOutput(new RegExp(`sms to \\${UNROUTED} SM\\w+: no route serves this number`));
    const metrics = await (await fetch(`${publicUrl}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`front_twilio_unrouted_messages_total\\{twilio_number="\\${UNROUTED}"\\} 1`),
    );
    expect(metrics).toMatch(
      new RegExp(
        `front_twilio_messages_delivered_total\\{twilio_number="\\${SALES}",front_channel="cha_sales"\\} 1`,
      ),
    );
    const queue = await runCli(["queue", "list"], env);
    expect(queue.stdout).toContain(`${UNROUTED}: 1 message(s) with no route`);
    expect(front.incoming).toHaveLength(2);

    // doctor checks each route, and reports the unrouted number (so it exits 1).
    const doctor = await runCli(["doctor", "--json"], env);
    expect(doctor.code).toBe(1);
    const checks = (JSON.parse(doctor.stdout) as { checks: { name: string; status: string }[] })
      .checks;
    const status = (name: string) => checks.find((c) => c.name === name)?.status;
    for (const number of [SUPPORT, SALES]) {
      expect(status(`Front channel webhook URL (${number})`)).toBe("pass");
      expect(status(`Twilio number SMS URL (${number})`)).toBe("pass");
    }
    expect(status("Messages to numbers with no route")).toBe("fail");
    expect(doctor.stdout).toContain(`${UNROUTED} received 1 message(s) no channel got`);
    const one = await runCli(["doctor", "--route", "cha_sales", "--json"], env);
    expect(one.stdout).not.toContain(`(${SUPPORT})`);

    // status shows each route's figures; --route one of them.
    const figures = await runCli(["status", "--url", publicUrl, "--route", SALES], env);
    expect(figures.stdout).toContain(`Route ${SALES} → cha_sales`);
    expect(figures.stdout).toMatch(/Delivered to Front\s+1/);
    expect(figures.stdout).not.toContain(`Route ${SUPPORT}`);

    // send-test must be told which route to prove when there are several.
    const ambiguous = await runCli(["send-test", "--to", CUSTOMER], env);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("--route");

    cli.child.kill("SIGTERM");
    expect((await cli.exited).code).toBe(0);
  });

  it("serve --tunnel points every route's number and channel at the tunnel and restores each", async () => {
    const routes = await addRoutes();
    const before = {
      sms: twilio.numbers.map((n) => n.sms_url),
      support: front.channels.get("cha_support")!.settings.webhook_url,
      sales: front.channels.get("cha_sales")!.settings.webhook_url,
    };
    const tunnels = await startTunnelStandIn();
    try {
      const cli = startCli(
        ["serve", "--tunnel", "--tunnel-host", tunnels.url, "--port", "0", "--host", "127.0.0.1"],
        env,
      );
      running.push(cli);
      await cli.waitForOutput(/Press Ctrl\+C/);
      const [, tunnel] = [...tunnels.tunnels.entries()][0]!;
      for (const number of [SUPPORT, SALES])
        expect(twilio.numbers.find((n) => n.phone_number === number)!.sms_url).toBe(
          `${tunnel.url}/twilio/sms`,
        );
      expect(front.channels.get("cha_support")!.settings.webhook_url).toBe(
        `${tunnel.url}${routes[0]!.webhookPath}`,
      );
      expect(front.channels.get("cha_sales")!.settings.webhook_url).toBe(
        `${tunnel.url}${routes[1]!.webhookPath}`,
      );
      // Through the tunnel, on the second route.
      expect((await twilio.sendInboundSms({ to: SALES, from: CUSTOMER, body: "hi" })).status).toBe(
        200,
      );
      await eventually(() => front.incoming.some((m) => m.channelId === "cha_sales"));

      cli.child.kill("SIGINT");
      expect((await cli.exited).code).toBe(0);
      expect(twilio.numbers.map((n) => n.sms_url)).toEqual(before.sms);
      expect(front.channels.get("cha_support")!.settings.webhook_url).toBe(before.support);
      expect(front.channels.get("cha_sales")!.settings.webhook_url).toBe(before.sales);
    } finally {
      await tunnels.close();
    }
  });
});
