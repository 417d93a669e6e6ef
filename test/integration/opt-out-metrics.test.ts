import { describe, expect, it } from "vitest";
import { parseSamples } from "../../src/commands/status.js";
import { CUSTOMER, startHarness, useHarness } from "../helpers/harness.js";
import { eventually } from "../helpers/net.js";

describe("opt-out awareness", () => {
  const h = useHarness();

  it("STOP still reaches Front with a plain note, then replies are refused before Twilio; START clears it", async () => {
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "Stop" });
    await eventually(() => h.front.incoming.length === 1);
    expect(h.front.incoming[0]!.message.body).toBe(
      "Stop<br><br><b>⚠ The customer texted STOP: they have unsubscribed from SMS from +14155550100. Replies will not be sent until they text START.</b>",
    );
    const refused = await h.front.sendAgentMessage({ to: CUSTOMER, text: "please come back" });
    expect(refused).toEqual({
      status: 400,
      body: {
        type: "bad_request",
        message:
          "SMS not sent: the customer texted STOP and has unsubscribed; they must text START before you can reply (Twilio 21610)",
      },
    });
    expect(h.twilio.requests).toHaveLength(0);

    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "START" });
    await eventually(() => h.front.incoming.length === 2);
    expect(h.front.incoming[1]!.message.body).toContain(
      "The customer texted START: replies can be sent again.",
    );
    expect(await h.front.sendAgentMessage({ to: CUSTOMER, text: "welcome back" })).toEqual({
      status: 200,
      body: { type: "success" },
    });
    expect(h.twilio.messages.map((m) => m.body)).toEqual(["welcome back"]);
  });

  it("honours OptOutType (Advanced Opt-Out keywords in any language) and a 21610 from Twilio", async () => {
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "Arrêt", extra: { OptOutType: "STOP" } });
    await eventually(async () => await h.store.isOptedOut(CUSTOMER, "+14155550100"));
    await h.twilio.sendInboundSms({ from: "+14155550124", body: "hi" });
    h.twilio.rejectTo("+14155550124", {
      status: 400,
      code: 21610,
      message: "Attempt to send to unsubscribed recipient",
    });
    expect((await h.front.sendAgentMessage({ to: "+14155550124", text: "one" })).status).toBe(400);
    const twilioCalls = h.twilio.requests.length;
    expect((await h.front.sendAgentMessage({ to: "+14155550124", text: "two" })).status).toBe(400);
    expect(h.twilio.requests).toHaveLength(twilioCalls); // refused without asking Twilio again
  });
});

describe("GET /metrics", () => {
  it("reports what the test sent, per number and channel", async () => {
    const h = await startHarness();
    try {
      const first = await h.twilio.sendInboundSms({ from: CUSTOMER, body: "one" });
      await h.twilio.sendInboundSms({
        from: CUSTOMER,
        body: "one",
        messageSid: first.params.MessageSid as string,
      });
      await h.twilio.sendInboundSms({ from: "+14155550124", body: "STOP" });
      await eventually(() => h.front.incoming.length === 2);
      await h.front.sendAgentMessage({ to: CUSTOMER, text: "reply" });
      h.twilio.rejectTo("+14155550125", { status: 400, code: 21211, message: "invalid" });
      await h.front.sendAgentMessage({ to: "+14155550125", text: "bad number" });
      await eventually(async () => (await h.store.summary()).done === 3);

      const response = await fetch(`${h.publicUrl}/metrics`);
      expect(response.headers.get("content-type")).toContain("text/plain");
      const samples = parseSamples(await response.text());
      const value = (name: string, labels: Record<string, string> = {}) =>
        samples
          .filter(
            (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
          )
          .reduce((sum, s) => sum + s.value, 0);
      const route = { twilio_number: "+14155550100", front_channel: "cha_test" };
      expect(value("front_twilio_messages_received_total", route)).toBe(2);
      expect(value("front_twilio_messages_delivered_total", route)).toBe(2);
      expect(value("front_twilio_duplicates_dropped_total", { direction: "inbound" })).toBe(1);
      expect(value("front_twilio_replies_sent_total")).toBe(1);
      expect(value("front_twilio_replies_failed_total", { error_code: "21211" })).toBe(1);
      expect(value("front_twilio_opt_outs_total", { change: "stop" })).toBe(1);
      expect(value("front_twilio_queue_depth")).toBe(0);
      expect(value("front_twilio_oldest_pending_age_seconds")).toBe(0);
    } finally {
      await h.close();
    }
  });
});
