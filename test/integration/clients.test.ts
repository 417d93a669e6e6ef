import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFrontClient } from "../../src/clients/front.js";
import { FrontApiError } from "../../src/clients/front-errors.js";
import { createTwilioGateway } from "../../src/clients/twilio.js";
import { startFrontStandIn, type FrontStandIn } from "../../src/stand-ins/front-stand-in.js";
import { startTwilioStandIn, type TwilioStandIn } from "../../src/stand-ins/twilio-stand-in.js";
import { contractValidators } from "../helpers/contract.js";

describe("Front and Twilio clients against the stand-ins", () => {
  let front: FrontStandIn;
  let twilio: TwilioStandIn;
  beforeEach(async () => {
    const contract = await contractValidators();
    front = await startFrontStandIn({
      validate: contract.front,
      channel: { id: "cha_c", inboxId: "inb_c" },
    });
    twilio = await startTwilioStandIn({ validate: contract.twilio });
  });
  afterEach(async () => {
    await front.close();
    await twilio.close();
    expect(front.violations).toEqual([]);
    expect(twilio.violations).toEqual([]);
  });

  it("Front: me, channels, inbox, webhook URL update, rate-limit headers, errors", async () => {
    const seen: unknown[] = [];
    const client = createFrontClient({
      token: front.token,
      baseUrl: front.url,
      onRateLimit: (rate) => seen.push(rate),
    });
    expect((await client.me()).name).toBe("Stand-in Company");
    expect((await client.listChannels()).map((c) => c.id)).toEqual(["cha_c"]);
    const channel = await client.getChannel("cha_c");
    expect(channel).toMatchObject({ type: "custom", is_valid: true });
    expect(channel._links?.related?.inbox).toBe(`${front.url}/inboxes/inb_c`);
    expect((await client.getInbox("inb_c")).id).toBe("inb_c");
    await client.setChannelWebhookUrl("cha_c", "https://sms.example.com/front/t");
    expect(front.channels.get("cha_c")!.settings.webhook_url).toBe(
      "https://sms.example.com/front/t",
    );
    expect(seen[0]).toMatchObject({ limit: 100_000, remaining: 99_999 });
    const missing = await client.getChannel("cha_nope").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(FrontApiError);
    expect(missing).toMatchObject({
      status: 404,
      message: "Front answered 404: Not found: Unknown channel ID cha_nope",
    });
    const unauthenticated = await createFrontClient({ token: "wrong", baseUrl: front.url })
      .me()
      .catch((e: unknown) => e);
    expect(unauthenticated).toMatchObject({ status: 401, retryable: false });
  });

  it("Front: a comment on a merged conversation follows the 301 with the same POST", async () => {
    const client = createFrontClient({ token: front.token, baseUrl: front.url });
    front.fail((r) => r.path === "/conversations/cnv_old/comments", {
      status: 301,
      headers: { location: `${front.url}/conversations/cnv_merged/comments` },
    });
    await client.addComment("cnv_old", "note");
    expect(front.comments).toEqual([{ conversationId: "cnv_merged", body: "note" }]);
  });

  it("Front: a server that never answers is a retryable timeout", async () => {
    front.fail(() => true, { hang: true });
    const client = createFrontClient({ token: front.token, baseUrl: front.url, timeoutMs: 200 });
    const error = await client.me().catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 0,
      retryable: true,
      message: `Front could not be reached at ${front.url} (no answer in 200 ms)`,
    });
  });

  it("Twilio: every *.twilio.com call goes to TWILIO_API_URL; incoming numbers are found and updated", async () => {
    const gateway = createTwilioGateway({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      baseUrl: twilio.url,
    });
    const number = await gateway.findIncomingNumber("+14155550100");
    expect(number).toMatchObject({ phoneNumber: "+14155550100", capabilities: { sms: true } });
    expect(await gateway.findIncomingNumber("+14155550199")).toBeUndefined();
    const updated = await gateway.updateIncomingNumber(number!.sid, {
      smsUrl: "https://sms.example.com/twilio/sms",
      smsMethod: "POST",
    });
    expect(updated.smsUrl).toBe("https://sms.example.com/twilio/sms");
    const sent = await gateway.sendMessage({
      to: "+14155550123",
      from: "+14155550100",
      body: "hi",
      statusCallback: "https://sms.example.com/twilio/status",
    });
    expect(sent.status).toBe("queued");
    expect(await gateway.fetchMessage(sent.sid)).toMatchObject({
      sid: sent.sid,
      status: "queued",
      errorCode: null,
    });
  });

  it("Twilio: API key auth, and wrong credentials become error 20003", async () => {
    const bad = createTwilioGateway({
      accountSid: twilio.accountSid,
      authToken: "wrong",
      baseUrl: twilio.url,
    });
    const error = await bad.findIncomingNumber("+14155550100").catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: 20003, retryable: false });
    const key = createTwilioGateway({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      apiKey: "SKkey",
      apiSecret: "secret",
      baseUrl: twilio.url,
    });
    await key.findIncomingNumber("+14155550100").catch(() => undefined);
    expect(twilio.requests.at(-1)!.headers.authorization).toBe(
      `Basic ${Buffer.from("SKkey:secret").toString("base64")}`,
    );
  });
});
