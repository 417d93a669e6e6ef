import { afterEach, describe, expect, it } from "vitest";
import { send, signedTwilioRequest } from "../../src/simulate/payloads.js";
import { CUSTOMER, startHarness, type Harness } from "../helpers/harness.js";
import { eventually } from "../helpers/net.js";

const isSend = (r: { method: string; path: string }) =>
  r.method === "POST" && r.path.endsWith("/Messages.json");

describe("exactly once: interrupted sends and early status callbacks (in process)", () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
    expect(h.front.violations).toEqual([]);
    expect(h.twilio.violations).toEqual([]);
  });

  it("keeps a status callback for a sid not recorded yet and applies it when the send answers", async () => {
    h = await startHarness();
    const sid = `SM${"e".repeat(32)}`;
    const status = await send(
      signedTwilioRequest(h.twilio.authToken, `${h.publicUrl}/twilio/status`, {
        MessageSid: sid,
        MessageStatus: "undelivered",
        ErrorCode: "30003",
        AccountSid: h.twilio.accountSid,
        From: "+14155550100",
        To: CUSTOMER,
      }),
    );
    expect(status.status).toBe(204);
    // Twilio's answer to the send carries that sid (the callback overtook the answer).
    h.twilio.fail(isSend, {
      status: 201,
      body: { sid, status: "queued", to: CUSTOMER, from: "+14155550100", body: "hi" },
    });
    const reply = await h.front.sendAgentMessage({
      to: CUSTOMER,
      text: "hi",
      conversationId: "cnv_early",
    });
    expect(reply.status).toBe(200);
    await eventually(() => h.front.comments.length === 1);
    expect(h.front.comments[0]).toMatchObject({ conversationId: "cnv_early" });
    expect(h.front.comments[0]!.body).toContain("30003");
    expect(await h.store.findMessage(sid)).toMatchObject({ status: "undelivered" });
  });

  it("after a timed-out send, finds the message in Twilio's list instead of sending it again", async () => {
    // The first request reaches Twilio, which creates the message but answers only after the
    // bridge's client gave up: the outcome is unknown to the bridge.
    h = await startHarness({
      twilioTimeoutMs: 300,
      tuning: { sendDeadlineMs: 100, retryBaseMs: 20, doubtMs: 1_000 },
    });
    h.twilio.fail(isSend, { delayMs: 600 });
    const reply = await h.front.sendAgentMessage({ to: CUSTOMER, text: "only once" });
    expect(reply).toEqual({ status: 200, body: { type: "success" } });
    await eventually(() =>
      h.logger.lines.some((line) => line.includes("found after an interrupted send")),
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${h.logger.lines.join("\n")}`);
    });
    expect(h.twilio.messages.map((m) => m.body)).toEqual(["only once"]);
    expect(h.twilio.requests.filter(isSend)).toHaveLength(1);
  });

  it("sends again once Twilio's list shows the interrupted send is certainly absent", async () => {
    h = await startHarness({
      twilioTimeoutMs: 300,
      tuning: { sendDeadlineMs: 100, retryBaseMs: 20, doubtMs: 1_000 },
    });
    h.twilio.fail(isSend, { hang: true });
    await h.front.sendAgentMessage({ to: CUSTOMER, text: "after a hang" });
    await eventually(() => h.twilio.messages.length === 1);
    expect(h.twilio.requests.filter(isSend)).toHaveLength(2);
    await eventually(async () => (await h.store.list({ state: "done" })).length === 1);
    const job = (await h.store.list({ state: "done" }))[0]!;
    // The attempt that hung proved nothing: only the one that Twilio answered counts.
    expect(job.attempts).toBeLessThanOrEqual(2);
  });

  it("finds a customer message Front accepted when the answer was lost, instead of posting it again", async () => {
    // Front takes the second message of the customer, but the connection drops before its answer.
    let posts = 0;
    const losingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/incoming_messages") && ++posts === 2)
        throw new TypeError("socket hang up");
      return response;
    };
    h = await startHarness({ fetch: losingFetch });
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "first" });
    await eventually(() => h.logger.lines.some((line) => line.includes("delivered")));
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "second" });
    await eventually(() =>
      h.logger.lines.some((line) => line.includes("found in Front after an interrupted post")),
    );
    expect(h.front.incoming.map((m) => m.message.body)).toEqual(["first", "second"]);
    // The customer's next message still goes through as usual.
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "third" });
    await eventually(() => h.front.incoming.length === 3);
    expect(h.front.incoming.map((m) => m.message.body)).toEqual(["first", "second", "third"]);
  });

  it("posts the first message of a new conversation again when its answer was lost (the remaining window)", async () => {
    let posts = 0;
    const losingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/incoming_messages") && ++posts === 1)
        throw new TypeError("socket hang up");
      return response;
    };
    h = await startHarness({ fetch: losingFetch });
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "hello?" });
    await eventually(() => h.front.incoming.length === 2);
    // No conversation to look in: Front offers no lookup by MessageSid (docs/reliability.md).
    expect(h.front.incoming.map((m) => m.message.body)).toEqual(["hello?", "hello?"]);
  });

  it("in application mode, finds the lost post by its external_id with the channel's JWT", async () => {
    let posts = 0;
    const losingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/inbound_messages") && ++posts === 2) throw new TypeError("socket hang up");
      return response;
    };
    h = await startHarness({ application: true, fetch: losingFetch });
    await h.front.authorize(h.frontWebhookUrl);
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "first" });
    await eventually(() => h.logger.lines.some((line) => line.includes("delivered")));
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "second" });
    await eventually(() =>
      h.logger.lines.some((line) => line.includes("found in Front after an interrupted post")),
    );
    expect(h.front.app!.inbound.map((m) => m.message.body)).toEqual(["first", "second"]);
  });
});
