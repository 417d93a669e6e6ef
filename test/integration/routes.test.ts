import { describe, expect, it } from "vitest";
import { verifyHs256 } from "../../src/clients/jwt.js";
import { frontCustomMessage } from "../../src/simulate/payloads.js";
import { APP_SECRET, CUSTOMER, useHarness } from "../helpers/harness.js";
import { eventually } from "../helpers/net.js";

const SALES = "+14155550111";
const SALES_TOKEN = "sales-webhook-token-0123456789abcd";

/** Application mode with two routes: one app, a channel (and a webhook URL) per route. */
describe("several routes on one Front app (application channels)", () => {
  const h = useHarness({
    application: true,
    moreRoutes: [{ twilioNumber: SALES, channelId: "cha_sales", webhookToken: SALES_TOKEN }],
  });
  const salesUrl = () => `${h.publicUrl}/front/${SALES_TOKEN}`;

  it("tells Front each channel's own URL at authorization, and keeps each route on its channel and number", async () => {
    // The first route's channel is learnt from the authorization at the app's URL…
    expect(await h.front.authorize(h.frontWebhookUrl)).toMatchObject({
      body: { webhook_url: h.frontWebhookUrl },
    });
    // …another route's channel, named in the config, is sent to that route's own URL.
    h.front.app!.channelId = "cha_sales";
    expect(await h.front.authorize(h.frontWebhookUrl)).toEqual({
      status: 200,
      body: { type: "success", webhook_url: salesUrl() },
    });
    expect(await h.store.getMeta("application.channelId")).toBe("cha_app");

    // A customer texting the sales number lands in the sales channel (JWT for that channel).
    await h.twilio.sendInboundSms({ to: SALES, from: CUSTOMER, body: "price?" });
    await eventually(() => h.front.app!.inbound.length === 1);
    expect(h.front.app!.inbound[0]).toMatchObject({
      channelId: "cha_sales",
      message: { metadata: { external_conversation_id: `sms:${CUSTOMER}:${SALES}` } },
    });
    const post = h.front.requests.find((r) => r.path === "/channels/cha_sales/inbound_messages")!;
    expect(
      verifyHs256(String(post.headers.authorization).slice("Bearer ".length), APP_SECRET),
    ).toMatchObject({ sub: "cha_sales" });

    // The agent's reply in the sales channel (sent to its URL) leaves from the sales number.
    const reply = await h.front.sendAppEvent(
      "message",
      frontCustomMessage({ apiBase: h.front.url, to: CUSTOMER, text: "$10", messageId: "msg_s1" }),
    );
    expect(reply).toMatchObject({
      status: 200,
      body: { external_conversation_id: `sms:${CUSTOMER}:${SALES}` },
    });
    await eventually(() => h.twilio.messages.length === 1);
    expect(h.twilio.messages[0]).toMatchObject({ from: SALES, to: CUSTOMER, body: "$10" });
  });
});

/** Custom mode, a second route that sends through a Messaging Service (A2P 10DLC). */
describe("a route with a Messaging Service (custom channels)", () => {
  const SERVICE = `MG${"a".repeat(32)}`;
  const h = useHarness({
    moreRoutes: [
      {
        twilioNumber: SALES,
        channelId: "cha_sales",
        webhookToken: SALES_TOKEN,
        messagingServiceSid: SERVICE,
      },
    ],
  });

  it("sends the route's replies through its service, the number pinned; other routes as before", async () => {
    h.front.channels.set("cha_sales", {
      id: "cha_sales",
      name: "Sales",
      type: "custom",
      is_valid: true,
      inboxId: "inb_sales",
      settings: { webhook_url: `${h.publicUrl}/front/${SALES_TOKEN}` },
    });
    expect(
      (await h.front.sendAgentMessage({ channelId: "cha_sales", to: CUSTOMER, text: "$10" }))
        .status,
    ).toBe(200);
    expect((await h.front.sendAgentMessage({ to: CUSTOMER, text: "on it" })).status).toBe(200);
    await eventually(() => h.twilio.messages.length === 2);
    const posts = h.twilio.requests.filter((r) => r.path.endsWith("/Messages.json"));
    const form = (body: string) =>
      posts.map((r) => r.body as Record<string, string>).find((f) => f.Body === body)!;
    expect(form("$10")).toMatchObject({ From: SALES, MessagingServiceSid: SERVICE });
    expect(form("on it")).not.toHaveProperty("MessagingServiceSid");
  });
});
