import { describe, expect, it } from "vitest";
import { encodeForm } from "../../src/webhooks/form.js";
import { signTwilio } from "../../src/webhooks/twilio-signature.js";
import { CUSTOMER, useHarness } from "../helpers/harness.js";
import { eventually } from "../helpers/net.js";

describe("customer SMS → Front (custom channel)", () => {
  const h = useHarness();

  const incoming = () => h.front.requests.filter((r) => r.path.endsWith("/incoming_messages"));

  it("acknowledges with empty TwiML and delivers the message with handle, body, thread and auth", async () => {
    const sent = await h.twilio.sendInboundSms({
      from: CUSTOMER,
      body: "Hi *there* <3\nsecond line",
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const [request] = await h.front.waitFor(
      (r) => r.path === "/channels/cha_test/incoming_messages",
    );
    expect(request!.headers.authorization).toBe(`Bearer ${h.front.token}`);
    expect(request!.body).toEqual({
      sender: { handle: CUSTOMER },
      body: "Hi *there* &lt;3<br>second line",
      body_format: "html",
      metadata: {
        thread_ref: `sms:${CUSTOMER}:+14155550100`,
        headers: { twilio_message_sid: sent.params.MessageSid },
      },
    });
    await eventually(async () => (await h.store.summary()).done === 1);
    expect(await h.store.findMessage(sent.params.MessageSid as string)).toMatchObject({
      direction: "inbound",
      customer: CUSTOMER,
      frontMessageUid: h.front.incoming[0]!.messageUid,
    });
  });

  it("delivers a webhook that Twilio repeats exactly once", async () => {
    const first = await h.twilio.sendInboundSms({
      from: CUSTOMER,
      body: "once",
      messageSid: `SM${"a".repeat(32)}`,
    });
    const second = await h.twilio.sendInboundSms({
      from: CUSTOMER,
      body: "once",
      messageSid: `SM${"a".repeat(32)}`,
    });
    expect([first.status, second.status]).toEqual([200, 200]);
    await h.front.waitFor((r) => r.path.endsWith("/incoming_messages"));
    await eventually(async () => (await h.store.summary()).done === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(incoming()).toHaveLength(1);
  });

  it("keeps one customer in one thread however the number is written, and passes short codes through", async () => {
    await h.twilio.sendInboundSms({ from: "+1 (415) 555-0123", body: "a" });
    await h.twilio.sendInboundSms({ from: "14155550123", body: "b" });
    await h.twilio.sendInboundSms({ from: "22395", body: "c" });
    const requests = await h.front.waitFor((r) => r.path.endsWith("/incoming_messages"), 3);
    const handles = requests.map((r) => (r.body as { sender: { handle: string } }).sender.handle);
    expect(handles.sort()).toEqual([CUSTOMER, CUSTOMER, "22395"].sort());
  });

  it("retries 429 (honouring Retry-After) and 503 until delivered, keeping the customer's order", async () => {
    h.front.fail(
      (r) => r.path.endsWith("/incoming_messages"),
      {
        status: 429,
        headers: { "retry-after": "1" },
        body: {
          _error: { status: 429, title: "Too many requests", message: "Rate limit exceeded" },
        },
      },
      { status: 503, body: "upstream unavailable" },
      { status: 503, body: "upstream unavailable" },
    );
    for (const body of ["first", "second", "third"])
      await h.twilio.sendInboundSms({ from: CUSTOMER, body });
    await eventually(() => h.front.incoming.length === 3, 15_000);
    expect(h.front.incoming.map((m) => m.message.body)).toEqual(["first", "second", "third"]);
    const attempts = incoming();
    expect(attempts.length).toBe(6);
    // The 429 asked for a second's pause; the next attempt waited for it.
    const retryGap = h.logger.lines.find(
      (line) => line.includes("retry inbound") && line.includes("in 1.0s"),
    );
    expect(retryGap).toBeDefined();
    await eventually(async () => (await h.store.summary()).done === 3);
    expect(await h.store.summary()).toMatchObject({ pending: 0, running: 0, dead: 0 });
  });

  it("dead-letters a message Front refuses with a 4xx, with the reason, and moves on", async () => {
    h.front.fail((r) => r.path.endsWith("/incoming_messages"), {
      status: 400,
      body: {
        _error: { status: 400, title: "Bad request", message: "Body did not satisfy requirements" },
      },
    });
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "refused" });
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "accepted" });
    await eventually(
      async () => h.front.incoming.length === 1 && (await h.store.summary()).dead === 1,
    );
    const [dead] = await h.store.list({ state: "dead" });
    expect(dead!.lastError).toBe(
      "Front answered 400: Bad request: Body did not satisfy requirements",
    );
    expect(h.front.incoming[0]!.message.body).toBe("accepted");
  });
});

describe("rejected Twilio webhooks change nothing", () => {
  const h = useHarness();

  const post = (body: string, headers: Record<string, string>, path = "/twilio/sms") =>
    fetch(`${h.publicUrl}${path}`, { method: "POST", headers, body });
  const form = (sid = `SM${"b".repeat(32)}`) =>
    encodeForm({
      MessageSid: sid,
      From: CUSTOMER,
      To: "+14155550100",
      Body: "hello",
      NumMedia: "0",
    });

  it.each([
    ["no signature", () => ({})],
    [
      "a signature for another URL",
      () => ({
        "x-twilio-signature": signTwilio(
          h.twilio.authToken,
          "https://elsewhere.example.com/twilio/sms",
          form(),
        ),
      }),
    ],
    [
      "a signature made with another token",
      () => ({
        "x-twilio-signature": signTwilio("wrong-token", `${h.publicUrl}/twilio/sms`, form()),
      }),
    ],
    [
      "a tampered body",
      () => ({
        "x-twilio-signature": signTwilio(
          h.twilio.authToken,
          `${h.publicUrl}/twilio/sms`,
          form().replace("hello", "hullo"),
        ),
      }),
    ],
  ])("refuses %s with 403", async (_name, headers) => {
    const response = await post(form(), {
      "content-type": "application/x-www-form-urlencoded",
      ...headers(),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: "invalid X-Twilio-Signature" });
    expect(await h.store.summary()).toMatchObject({ pending: 0, running: 0, done: 0, dead: 0 });
    expect(h.front.requests).toHaveLength(0);
  });

  it("answers exact status codes for bad requests", async () => {
    const signed = (body: string) => ({
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": signTwilio(h.twilio.authToken, `${h.publicUrl}/twilio/sms`, body),
    });
    expect((await fetch(`${h.publicUrl}/nope`)).status).toBe(404);
    const wrongMethod = await fetch(`${h.publicUrl}/twilio/sms`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect((await post(form(), { "content-type": "application/json" })).status).toBe(415);
    const huge = encodeForm({ MessageSid: "SM1", Body: "x".repeat(70 * 1024) });
    expect((await post(huge, signed(huge))).status).toBe(413);
    const noSid = encodeForm({ From: CUSTOMER, To: "+14155550100", Body: "x" });
    const missing = await post(noSid, signed(noSid));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: "missing form field MessageSid" });
    const otherNumber = encodeForm({
      MessageSid: "SM2",
      From: CUSTOMER,
      To: "+14155550199",
      Body: "x",
    });
    expect((await post(otherNumber, signed(otherNumber))).status).toBe(400);
    expect(await h.store.summary()).toMatchObject({ pending: 0, running: 0, done: 0, dead: 0 });
  });

  it("reports health without secrets", async () => {
    const response = await fetch(`${h.publicUrl}/healthz`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      status: "ok",
      mode: "custom",
      queue: { pending: 0, dead: 0 },
    });
    expect(text).not.toContain(h.twilio.authToken);
    expect(text).not.toContain(h.front.token);
    expect(text).not.toContain("test-webhook-token");
  });
});
