import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createContext } from "../../src/commands/context.js";
import { routesAdd } from "../../src/commands/routes/add.js";
import { scriptedPrompter } from "../helpers/scripted-prompter.js";
import { startStandIns, type StandIns } from "../helpers/stand-ins.js";
import { capture } from "../helpers/capture.js";

const SALES = "+14155550111";

/** `routes add` with a person at the keyboard: it offers what is not routed yet. */
describe("routes add, interactive (scripted prompter)", () => {
  let s: StandIns;
  beforeEach(async () => {
    s = await startStandIns();
    s.twilio.numbers.push({
      ...s.twilio.numbers[0]!,
      sid: `PN${"1".repeat(32)}`,
      phone_number: SALES,
    });
    s.front.channels.set("cha_sales", {
      id: "cha_sales",
      name: "Sales",
      type: "custom",
      is_valid: true,
      inboxId: "inb_sales",
      settings: {},
    });
  });
  afterEach(async () => {
    expect(await s.close()).toEqual([]);
  });

  it("offers the unrouted numbers and channels, then saves a second route", async () => {
    const env = {
      ...s.env,
      FRONT_API_TOKEN: s.front.token,
      TWILIO_ACCOUNT_SID: s.twilio.accountSid,
      TWILIO_AUTH_TOKEN: s.twilio.authToken,
    };
    const out = capture();
    const context = createContext({ env, stdout: out.stream, stderr: capture().stream });
    // The first route is the one init would have made.
    context.configStore().set("routes", [{ number: "+14155550100", channel: "cha_sms" }]);
    const { prompter, asked } = scriptedPrompter({
      "twilio.phoneNumber": SALES,
      "front.channelId": "cha_sales",
    });
    expect(await routesAdd({ interactive: true }, context, { prompter })).toBe(0);

    const offered = (name: string) =>
      (asked.find((q) => q.name === name)!.choices as { value: string }[]).map((c) => c.value);
    expect(offered("twilio.phoneNumber")).toEqual([SALES]);
    expect(offered("front.channelId")).toEqual(["cha_sales"]);
    const saved = JSON.parse(readFileSync(context.configStore().path, "utf8")) as {
      routes: { number: string; channel: string; inbox?: string; webhookToken?: string }[];
    };
    expect(saved.routes).toMatchObject([
      { number: "+14155550100", channel: "cha_sms" },
      { number: SALES, channel: "cha_sales", inbox: "inb_sales" },
    ]);
    expect(saved.routes[1]!.webhookToken).toMatch(/^[\w-]{22}$/);
    expect(out.text()).toContain(`Added the route ${SALES} → cha_sales`);
  });

  it("--messaging-service: the number must be a sender of the service; the route keeps it", async () => {
    const env = {
      ...s.env,
      FRONT_API_TOKEN: s.front.token,
      TWILIO_ACCOUNT_SID: s.twilio.accountSid,
      TWILIO_AUTH_TOKEN: s.twilio.authToken,
    };
    const sales = s.twilio.numbers.find((n) => n.phone_number === SALES)!;
    const service = `MG${"b".repeat(32)}`;
    s.twilio.services.push({
      sid: service,
      friendly_name: "A2P campaign",
      use_inbound_webhook_on_number: true,
      inbound_request_url: null,
      senders: [],
    });
    const { prompter } = scriptedPrompter({});
    const add = async () => {
      const out = capture();
      const context = createContext({ env, stdout: out.stream, stderr: capture().stream });
      const options = {
        interactive: false,
        number: SALES,
        channel: "cha_sales",
        messagingService: service,
      };
      return { run: routesAdd(options, context, { prompter }), out, context };
    };
    const refused = await add();
    await expect(refused.run).rejects.toThrow(`${SALES} is not a sender of the Messaging Service`);

    s.twilio.services[0]!.senders.push(sales.sid);
    const accepted = await add();
    expect(await accepted.run).toBe(0);
    expect(accepted.out.text()).toContain(
      'Replies leave through the Messaging Service "A2P campaign"',
    );
    const saved = JSON.parse(readFileSync(accepted.context.configStore().path, "utf8")) as {
      routes: { number: string; messagingService?: string }[];
    };
    expect(saved.routes).toEqual([
      expect.objectContaining({ number: SALES, messagingService: service }),
    ]);
  });
});
