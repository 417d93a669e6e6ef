import { afterEach, describe, expect, it } from "vitest";
import { signFrontCustom } from "../../src/webhooks/front-signature.js";
import { CUSTOMER, startHarness, type Harness } from "../helpers/harness.js";
import { eventually } from "../helpers/net.js";

describe("agent reply in Front → SMS", () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
    expect(h.front.violations).toEqual([]);
    expect(h.twilio.violations).toEqual([]);
  });

  it("sends the reply through Twilio with To, From, Body and the status callback, and answers success", async () => {
    h = await startHarness();
    const reply = await h.front.sendAgentMessage({
      to: CUSTOMER,
      text: "Your order shipped",
      conversationId: "cnv_1",
    });
    expect(reply).toEqual({ status: 200, body: { type: "success" } });
    const [request] = await h.twilio.waitFor(
      (r) => r.method === "POST" && r.path.endsWith("/Messages.json"),
    );
    expect(request!.body).toEqual({
      To: CUSTOMER,
      From: "+14155550100",
      Body: "Your order shipped",
      StatusCallback: `${h.publicUrl}/twilio/status`,
    });
    expect(request!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${h.twilio.accountSid}:${h.twilio.authToken}`).toString("base64")}`,
    );
    await eventually(
      async () => (await h.store.findMessage(h.twilio.messages[0]!.sid)) !== undefined,
    );
    expect(await h.store.findMessage(h.twilio.messages[0]!.sid)).toMatchObject({
      frontConversationId: "cnv_1",
      customer: CUSTOMER,
    });
  });

  it("sends once when Front delivers the same message twice", async () => {
    h = await startHarness();
    const first = await h.front.sendAgentMessage({
      to: CUSTOMER,
      text: "once",
      messageId: "msg_dup",
    });
    const second = await h.front.sendAgentMessage({
      to: CUSTOMER,
      text: "once",
      messageId: "msg_dup",
    });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(h.twilio.messages).toHaveLength(1);
  });

  it("tells the agent, in plain words, when Twilio refuses the number", async () => {
    h = await startHarness();
    h.twilio.rejectTo(CUSTOMER, {
      status: 400,
      code: 21610,
      message: "Attempt to send to unsubscribed recipient",
    });
    const reply = await h.front.sendAgentMessage({ to: CUSTOMER, text: "hello?" });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      type: "bad_request",
      message:
        "SMS not sent: the customer texted STOP and has unsubscribed; they must text START before you can reply (Twilio 21610)",
    });
    expect((await h.store.summary()).dead).toBe(1);
  });

  it("refuses an invalid number before calling Twilio", async () => {
    h = await startHarness();
    const reply = await h.front.sendAgentMessage({ to: "+1555", text: "hi" });
    expect(reply).toEqual({
      status: 400,
      body: { type: "bad_request", message: "SMS not sent: +1555 is not a valid phone number" },
    });
    expect(h.twilio.requests).toHaveLength(0);
    expect(await h.store.summary()).toMatchObject({ pending: 0, done: 0, dead: 0 });
  });

  it("answers success when Twilio is down and sends from the store once it recovers", async () => {
    h = await startHarness();
    h.twilio.fail((r) => r.path.endsWith("/Messages.json"), {
      status: 503,
      body: { code: 20500, message: "Internal Server Error", status: 503 },
    });
    const reply = await h.front.sendAgentMessage({ to: CUSTOMER, text: "eventually" });
    expect(reply).toEqual({ status: 200, body: { type: "success" } });
    await eventually(() => h.twilio.messages.length === 1);
    expect(h.twilio.messages[0]!.body).toBe("eventually");
    // The failed attempt's outcome was unknown: Twilio's list was asked (GET) before the resend.
    expect(
      h.twilio.requests.filter((r) => r.method === "POST" && r.path.endsWith("/Messages.json")),
    ).toHaveLength(2);
  });

  it("answers within the deadline when Twilio hangs, then retries in the background", async () => {
    h = await startHarness({ twilioTimeoutMs: 3_000 });
    h.twilio.fail((r) => r.path.endsWith("/Messages.json"), { hang: true });
    const reply = await h.front.sendAgentMessage({ to: CUSTOMER, text: "slow" });
    expect(reply).toEqual({ status: 200, body: { type: "success" } });
    // Answered while Twilio still holds the first attempt: nothing has been sent yet.
    expect(h.twilio.messages).toHaveLength(0);
    await eventually(() => h.twilio.messages.length === 1);
    // The failed attempt's outcome was unknown: Twilio's list was asked (GET) before the resend.
    expect(
      h.twilio.requests.filter((r) => r.method === "POST" && r.path.endsWith("/Messages.json")),
    ).toHaveLength(2);
  });

  it("comments on the conversation when a queued send finally fails", async () => {
    h = await startHarness();
    h.twilio.fail((r) => r.path.endsWith("/Messages.json"), { status: 503 });
    h.twilio.rejectTo(CUSTOMER, {
      status: 400,
      code: 21614,
      message: "'To' number is not a valid mobile number",
    });
    const reply = await h.front.sendAgentMessage({
      to: CUSTOMER,
      text: "landline?",
      conversationId: "cnv_9",
    });
    expect(reply.status).toBe(200);
    await h.front.waitFor((r) => r.path === "/conversations/cnv_9/comments");
    expect(h.front.comments[0]!.body).toBe(
      `**SMS to ${CUSTOMER} was not delivered:** the number is not a mobile number (a landline or invalid), so it cannot receive SMS (Twilio 21614).`,
    );
  });

  it("turns a failed delivery callback into one comment, however often Twilio repeats it", async () => {
    h = await startHarness();
    await h.front.sendAgentMessage({ to: CUSTOMER, text: "hi", conversationId: "cnv_42" });
    const sid = h.twilio.messages[0]!.sid;
    expect((await h.twilio.sendStatus(sid, "sent")).status).toBe(204);
    expect((await h.twilio.sendStatus(sid, "undelivered", 30003)).status).toBe(204);
    expect((await h.twilio.sendStatus(sid, "undelivered", 30003)).status).toBe(204);
    await h.front.waitFor((r) => r.path === "/conversations/cnv_42/comments");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.front.comments).toEqual([
      {
        conversationId: "cnv_42",
        body: `**SMS to ${CUSTOMER} was not delivered:** the customer's phone is unreachable (switched off or out of coverage) (Twilio 30003).`,
      },
    ]);
    expect(await h.store.findMessage(sid)).toMatchObject({
      status: "undelivered",
      errorCode: 30003,
    });
  });

  it("refuses an unsigned status callback", async () => {
    h = await startHarness();
    const response = await fetch(`${h.publicUrl}/twilio/status`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "MessageSid=SM1&MessageStatus=failed",
    });
    expect(response.status).toBe(403);
  });
});

describe("the Front route's checks", () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });
  const message = JSON.stringify({
    id: "msg_1",
    recipients: [{ handle: CUSTOMER, role: "to" }],
    text: "hi",
  });
  const post = (
    url: string,
    body: string,
    headers: Record<string, string> = { "content-type": "application/json" },
  ) => fetch(url, { method: "POST", headers, body });

  it("answers 404 for a wrong path token, 415 for non-JSON, 400 for malformed JSON or messages", async () => {
    h = await startHarness();
    expect((await post(`${h.publicUrl}/front/guess`, message)).status).toBe(404);
    expect((await post(h.frontWebhookUrl, message, { "content-type": "text/plain" })).status).toBe(
      415,
    );
    expect((await post(h.frontWebhookUrl, "{not json")).status).toBe(400);
    const noRecipients = await post(h.frontWebhookUrl, JSON.stringify({ id: "msg_2", text: "x" }));
    expect(noRecipients.status).toBe(400);
    expect(await noRecipients.json()).toEqual({ error: "message has no recipients" });
    expect((await post(h.frontWebhookUrl, "x".repeat(1024 * 1024 + 1))).status).toBe(413);
    expect(h.twilio.requests).toHaveLength(0);
  });

  it("requires a valid X-Front-Signature when the webhook secret is set", async () => {
    h = await startHarness({ webhookSecret: "front-secret" });
    expect((await post(h.frontWebhookUrl, message)).status).toBe(403);
    const forged = {
      "content-type": "application/json",
      "x-front-signature": signFrontCustom("front-secret", message.replace("hi", "ho")),
    };
    expect((await post(h.frontWebhookUrl, message, forged)).status).toBe(403);
    expect(h.twilio.requests).toHaveLength(0);
    expect(await h.store.summary()).toMatchObject({ pending: 0, running: 0, done: 0, dead: 0 });
    const signed = await h.front.sendAgentMessage({ to: CUSTOMER, text: "signed" });
    expect(signed).toEqual({ status: 200, body: { type: "success" } });
  });
});
