import { describe, expect, it } from "vitest";
import { channelApiToken, verifyHs256 } from "../../src/clients/jwt.js";
import { frontCustomMessage } from "../../src/simulate/payloads.js";
import { signFrontApp, verifyFrontApp } from "../../src/webhooks/front-app-signature.js";
import { APP_SECRET, APP_UID, CUSTOMER, useHarness } from "../helpers/harness.js";
import { eventually } from "../helpers/net.js";

const THREAD = `sms:${CUSTOMER}:+14155550100`;

describe("Channel API known answers", () => {
  it("signs the documented JWT and verifies it", () => {
    const token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJteV9hcHBfdWlkIiwianRpIjoiYTFiMmMzZDQiLCJzdWIiOiJjaGFfMTIzIiwiZXhwIjoxNzAwMDAwMDMwfQ.MkTLlHJqymxBBisRINjhufBXvIMbEmDKAV2ViW99TII";
    expect(verifyHs256(token, "shhhhhhhhh")).toEqual({
      iss: "my_app_uid",
      jti: "a1b2c3d4",
      sub: "cha_123",
      exp: 1700000030,
    });
    expect(verifyHs256(token, "wrong")).toBeUndefined();
    const fresh = channelApiToken({
      appUid: "uid",
      appSecret: "s",
      channelId: "cha_1",
      now: 1_700_000_000_000,
    });
    expect(verifyHs256(fresh, "s")).toMatchObject({ iss: "uid", sub: "cha_1", exp: 1_700_000_030 });
  });

  it("signs application events to the documented vector, within a 5-minute window, seconds or milliseconds", () => {
    const body = Buffer.from('{"type":"message","payload":{"id":"msg_123"}}');
    const signature = "vSB5Lt6Z2N3rjO8WcEW4sAkvMi6h8rGxWwc6k46i7q0=";
    expect(signFrontApp("shhhhhhhhh", "1700000000000", body)).toBe(signature);
    const at = (now: number, timestamp = "1700000000000") =>
      verifyFrontApp("shhhhhhhhh", { timestamp, signature, rawBody: body, now, method: "POST" });
    expect(at(1_700_000_000_000 + 60_000)).toBe("ok");
    expect(at(1_700_000_000_000 + 6 * 60_000)).toBe("stale");
    expect(
      verifyFrontApp("other", {
        timestamp: "1700000000000",
        signature,
        rawBody: body,
        now: 1_700_000_000_000,
        method: "POST",
      }),
    ).toBe("bad-signature");
    expect(
      verifyFrontApp("shhhhhhhhh", {
        timestamp: undefined,
        signature,
        rawBody: body,
        now: 0,
        method: "POST",
      }),
    ).toBe("missing");
    const seconds = signFrontApp("k", "1700000000", body);
    expect(
      verifyFrontApp("k", {
        timestamp: "1700000000",
        signature: seconds,
        rawBody: body,
        now: 1_700_000_100_000,
        method: "POST",
      }),
    ).toBe("ok");
  });

  it("checks a DELETE over '<timestamp>:undefined' only, and a POST over its own body only", () => {
    const del = signFrontApp("k", "1700000000", "undefined");
    const check = (method: string, signature: string, rawBody: Buffer) =>
      verifyFrontApp("k", {
        timestamp: "1700000000",
        signature,
        rawBody,
        now: 1_700_000_000_000,
        method,
      });
    const body = Buffer.from('{"type":"message","payload":{"id":"msg_1"}}');
    expect(check("DELETE", del, Buffer.alloc(0))).toBe("ok");
    expect(check("DELETE", del, body)).toBe("ok");
    // A removal's signature never authorises a POST, whatever its body…
    expect(check("POST", del, body)).toBe("bad-signature");
    expect(check("POST", del, Buffer.alloc(0))).toBe("bad-signature");
    // …and a message's signature does not authorise a DELETE.
    expect(check("DELETE", signFrontApp("k", "1700000000", body), body)).toBe("bad-signature");
  });
});

describe("Front application channel mode", () => {
  const h = useHarness({ application: true });

  const app = () => h.front.app!;
  const agentMessage = (messageId: string, text: string) =>
    frontCustomMessage({
      apiBase: h.front.url,
      to: CUSTOMER,
      text,
      messageId,
      conversationId: "cnv_app1",
    });

  it("answers the authorization handshake with its webhook URL and keeps the channel id", async () => {
    const reply = await h.front.authorize(h.frontWebhookUrl);
    expect(reply).toEqual({
      status: 200,
      body: { type: "success", webhook_url: h.frontWebhookUrl },
    });
    expect(await h.store.getMeta("application.channelId")).toBe("cha_app");
  });

  it("delivers inbound SMS to inbound_messages with a fresh JWT and both external ids", async () => {
    await h.front.authorize(h.frontWebhookUrl);
    const sent = await h.twilio.sendInboundSms({ from: CUSTOMER, body: "hello app" });
    await eventually(() => app().inbound.length === 1);
    const [request] = h.front.requests.filter(
      (r) => r.path === "/channels/cha_app/inbound_messages",
    );
    const claims = verifyHs256(
      String(request!.headers.authorization).slice("Bearer ".length),
      APP_SECRET,
    )!;
    expect(claims).toMatchObject({ iss: APP_UID, sub: "cha_app" });
    expect(typeof claims.jti).toBe("string");
    expect(Number(claims.exp) - Date.now() / 1000).toBeLessThanOrEqual(30);
    expect(app().inbound[0]!.message).toMatchObject({
      sender: { handle: CUSTOMER },
      body: "hello app",
      metadata: { external_id: sent.params.MessageSid, external_conversation_id: THREAD },
    });
    expect(typeof app().inbound[0]!.message.delivered_at).toBe("number");
  });

  it("waits to deliver until a channel is connected", async () => {
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "early" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app().inbound).toHaveLength(0);
    expect((await h.store.summary()).pending).toBe(1);
    await h.front.authorize(h.frontWebhookUrl);
    await eventually(() => app().inbound.length === 1);
  });

  it("sends an agent message once even when Front delivers the event twice, and answers the external ids", async () => {
    await h.front.authorize(h.frontWebhookUrl);
    const first = await h.front.sendAppEvent(
      "message",
      agentMessage("msg_app1", "Your order shipped"),
      { metadata: { external_conversation_ids: [THREAD] } },
    );
    const second = await h.front.sendAppEvent(
      "message",
      agentMessage("msg_app1", "Your order shipped"),
    );
    const expected = {
      status: 200,
      body: {
        type: "success",
        external_id: `msg_app1:${CUSTOMER}`,
        external_conversation_id: THREAD,
      },
    };
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    expect(h.twilio.messages.map((m) => m.body)).toEqual(["Your order shipped"]);
  });

  it("sends an auto-reply (no payload id) once, even when delivered twice", async () => {
    await h.front.authorize(h.frontWebhookUrl);
    const autoreply = {
      ...agentMessage("ignored", "Thanks, we will answer soon"),
      id: undefined,
      type: "auto_reply",
      _links: {
        related: {
          message_replied_to: `${h.front.url}/messages/msg_in1`,
          conversation: `${h.front.url}/conversations/cnv_app1`,
        },
      },
    };
    const first = await h.front.sendAppEvent("message_autoreply", autoreply);
    await h.front.sendAppEvent("message_autoreply", autoreply);
    expect(first).toMatchObject({
      status: 200,
      body: { type: "success", external_id: `msg_in1_autoreply:${CUSTOMER}` },
    });
    expect(h.twilio.messages.map((m) => m.body)).toEqual(["Thanks, we will answer soon"]);
  });

  it("turns a failed delivery into a message status PUT with the reason, ids URL-encoded", async () => {
    await h.front.authorize(h.frontWebhookUrl);
    await h.front.sendAppEvent("message", agentMessage("msg_app2", "hi"));
    await h.twilio.sendStatus(h.twilio.messages[0]!.sid, "undelivered", 30006);
    await eventually(() => app().statuses.length === 1);
    expect(app().statuses[0]).toEqual({
      channelId: "cha_app",
      conversation: THREAD,
      message: `msg_app2:${CUSTOMER}`,
      body: {
        status: "failed",
        reason: "the number is a landline or its carrier cannot receive SMS (Twilio 30006)",
      },
    });
    const put = h.front.requests.find((r) => r.method === "PUT")!;
    expect(put.path).toBe(
      `/channels/cha_app/conversations/sms%3A%2B14155550123%3A%2B14155550100/messages/msg_app2%3A%2B14155550123/status`,
    );
  });

  it("records Front's ids when an import is confirmed (message_imported)", async () => {
    await h.front.authorize(h.frontWebhookUrl);
    const sent = await h.twilio.sendInboundSms({ from: CUSTOMER, body: "import me" });
    await eventually(async () => (await h.store.summary()).done === 1);
    const reply = await h.front.sendAppEvent(
      "message_imported",
      {
        id: "msg_imported1",
        metadata: { external_id: sent.params.MessageSid },
        _links: { related: { conversation: `${h.front.url}/conversations/cnv_imported` } },
      },
      { metadata: { external_conversation_id: THREAD } },
    );
    expect(reply).toEqual({ status: 200, body: {} });
    expect(await h.store.findMessage(sent.params.MessageSid as string)).toMatchObject({
      frontMessageId: "msg_imported1",
      frontConversationId: "cnv_imported",
    });
  });

  it("forgets a deleted channel, loudly, and stops delivering to it", async () => {
    await h.front.authorize(h.frontWebhookUrl);
    const reply = await h.front.sendAppEvent(
      "delete",
      { channel_id: "cha_app" },
      { method: "DELETE" },
    );
    expect(reply.status).toBe(200);
    expect(h.logger.lines.some((l) => l.includes("FRONT CHANNEL cha_app WAS REMOVED"))).toBe(true);
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "after delete" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app().inbound).toHaveLength(0);
  });

  it("treats a replayed DELETE signature as removal only, whatever body it carries", async () => {
    await h.front.authorize(h.frontWebhookUrl);
    const timestamp = String(Date.now());
    const signature = signFrontApp(APP_SECRET, timestamp, "undefined");
    const replay = (method: string, body: unknown) =>
      fetch(h.frontWebhookUrl, {
        method,
        headers: {
          "content-type": "application/json",
          "x-front-request-timestamp": timestamp,
          "x-front-signature": signature,
        },
        body: JSON.stringify(body),
      });
    const forgedMessage = { type: "message", payload: agentMessage("msg_forged", "pay here") };
    const forgedAuthorization = { type: "authorization", payload: { channel_id: "cha_evil" } };
    // Sent as a POST, the removal's signature is worthless.
    expect((await replay("POST", forgedMessage)).status).toBe(403);
    expect((await replay("POST", forgedAuthorization)).status).toBe(403);
    // Sent as a DELETE, it removes the channel and does nothing its body asks.
    const asDelete = await replay("DELETE", forgedMessage);
    expect(asDelete.status).toBe(200);
    expect(await asDelete.json()).toEqual({ type: "success" });
    expect((await replay("DELETE", forgedAuthorization)).status).toBe(200);
    expect(h.twilio.requests.filter((r) => r.path.endsWith("/Messages.json"))).toHaveLength(0);
    expect(await h.store.getMeta("application.channelId")).toBe("cha_app");
    expect(await h.store.getMeta("application.removedChannelId")).toBe("cha_app");
    expect(await h.store.summary()).toMatchObject({ pending: 0, running: 0, done: 0, dead: 0 });
  });

  it("sends an agent's attachment as MMS, downloaded with the channel's JWT", async () => {
    await h.front.authorize(h.frontWebhookUrl);
    const photo = h.front.addAttachment(
      "photo.png",
      "image/png",
      Buffer.from("89504e470d0a1a0a", "hex"),
    );
    const message = {
      ...agentMessage("msg_mms", "see photo"),
      attachments: [{ ...photo, metadata: { is_inline: false } }],
    };
    expect((await h.front.sendAppEvent("message", message)).status).toBe(200);
    const download = h.front.requests.find((r) => r.path === `/download/${photo.id}`)!;
    expect(
      verifyHs256(String(download.headers.authorization).slice("Bearer ".length), APP_SECRET),
    ).toMatchObject({ sub: "cha_app" });
    await eventually(() => h.twilio.messages[0]?.fetchedMedia?.length === 1);
    expect(h.twilio.messages[0]!.fetchedMedia![0]!.bytes.toString("hex")).toBe("89504e470d0a1a0a");
  });

  it("answers other events 200 and does nothing", async () => {
    await h.front.authorize(h.frontWebhookUrl);
    expect(await h.front.sendAppEvent("message_read", {})).toEqual({ status: 200, body: {} });
    expect(h.twilio.requests).toHaveLength(0);
  });

  it("refuses a bad signature, a stale timestamp and an unsigned request with 403, changing nothing", async () => {
    await h.front.authorize(h.frontWebhookUrl);
    const wrong = await h.front.sendAppEvent("message", agentMessage("msg_x1", "forged"), {
      secret: "not-the-app-secret",
    });
    const stale = await h.front.sendAppEvent("message", agentMessage("msg_x2", "replayed"), {
      timestamp: Date.now() - 10 * 60_000,
    });
    const unsigned = await fetch(h.frontWebhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "message", payload: agentMessage("msg_x3", "unsigned") }),
    });
    expect([wrong.status, stale.status, unsigned.status]).toEqual([403, 403, 403]);
    expect(h.twilio.requests).toHaveLength(0);
    expect(await h.store.summary()).toMatchObject({ pending: 0, running: 0, done: 0, dead: 0 });
  });

  it("marks the channel offline when Twilio rejects the credentials, and ok again when they work", async () => {
    await h.front.authorize(h.frontWebhookUrl);
    h.twilio.fail((r) => r.path.endsWith("/Messages.json"), {
      status: 401,
      body: { code: 20003, message: "Authenticate", status: 401 },
    });
    const refused = await h.front.sendAppEvent("message", agentMessage("msg_h1", "first"));
    expect(refused).toMatchObject({
      status: 400,
      body: { type: "bad_request", message: expect.stringContaining("Twilio 20003") as string },
    });
    await eventually(() => app().channelStatus.includes("offline"));
    await h.front.sendAppEvent("message", agentMessage("msg_h2", "second"));
    await eventually(() => app().channelStatus.at(-1) === "ok");
    expect(app().channelStatus).toEqual(["offline", "ok"]);
  });
});
