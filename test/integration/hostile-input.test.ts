import { describe, expect, it } from "vitest";
import { frontCustomMessage, twilioInboundParams } from "../../src/simulate/payloads.js";
import { encodeForm, type FormParams } from "../../src/webhooks/form.js";
import { signTwilio } from "../../src/webhooks/twilio-signature.js";
import { CUSTOMER, useHarness } from "../helpers/harness.js";
import { eventually } from "../helpers/net.js";

const OUR_NUMBER = "+14155550100";

describe("hostile Twilio webhooks are refused with a 4xx and change nothing", () => {
  const h = useHarness();

  const postSigned = async (path: string, body: string) => {
    const response = await fetch(`${h.publicUrl}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": signTwilio(h.twilio.authToken, `${h.publicUrl}${path}`, body),
      },
      body,
    });
    const text = await response.text();
    const json = response.headers.get("content-type") === "application/json";
    return { status: response.status, body: json ? (JSON.parse(text) as unknown) : text };
  };
  const inbound = (overrides: FormParams = {}) => ({
    ...twilioInboundParams({
      accountSid: h.twilio.accountSid,
      from: CUSTOMER,
      to: OUR_NUMBER,
      body: "hello",
    }),
    ...overrides,
  });

  it("refuses a signed body re-cut so that the same signature reads as another message", async () => {
    const original = inbound();
    const sid = original.MessageSid as string;
    expect((await postSigned("/twilio/sms", encodeForm(original))).status).toBe(200);
    await eventually(async () => (await h.store.summary()).done === 1);

    // Twilio signs names and values with no separator: "…MessageSid" + "SM…" + "NumMedia" + "0"…
    const recutForm: FormParams = { ...original, MessageSid: `${sid}NumMedia0` };
    delete recutForm.NumMedia;
    const recut = encodeForm(recutForm);
    expect(signTwilio(h.twilio.authToken, `${h.publicUrl}/twilio/sms`, recut)).toBe(
      signTwilio(h.twilio.authToken, `${h.publicUrl}/twilio/sms`, encodeForm(original)),
    );
    expect(await postSigned("/twilio/sms", recut)).toEqual({
      status: 400,
      body: { error: "form field MessageSid is not SM or MM followed by 32 hex digits" },
    });
    expect(await h.store.list({})).toHaveLength(1);
    expect(h.front.incoming).toHaveLength(1);
  });

  it.each([
    ["a short MessageSid", { MessageSid: "SM123", SmsSid: "SM123", SmsMessageSid: "SM123" }],
    ["a MessageSid of another kind", { MessageSid: `CA${"a".repeat(32)}` }],
    ["an SmsSid that differs from MessageSid", { SmsSid: `SM${"f".repeat(32)}` }],
    ["another account", { AccountSid: `AC${"9".repeat(32)}` }],
    ["a malformed account", { AccountSid: "AC1" }],
    ["no account", { AccountSid: "" }],
    ["a NumMedia that is not a count", { NumMedia: "1e3" }],
    ["more media than Twilio allows", { NumMedia: "11" }],
    ["a repeated Body", { Body: ["a", "b"] }],
  ])("refuses %s with 400", async (_name, overrides) => {
    const { status } = await postSigned("/twilio/sms", encodeForm(inbound(overrides)));
    expect(status).toBe(400);
    expect(await h.store.list({})).toEqual([]);
  });

  it.each([
    ["a status Twilio does not have", { MessageStatus: "deliveredMessagingServiceSidMG1" }],
    ["an error code that is not a number", { ErrorCode: "30003x" }],
    ["a short sid", { MessageSid: "SM1" }],
    ["another account", { AccountSid: `AC${"9".repeat(32)}` }],
  ])("refuses a status callback with %s with 400", async (_name, overrides) => {
    const callback = {
      MessageSid: `SM${"c".repeat(32)}`,
      MessageStatus: "failed",
      AccountSid: h.twilio.accountSid,
      ...overrides,
    };
    expect((await postSigned("/twilio/status", encodeForm(callback))).status).toBe(400);
    expect(await h.store.list({})).toEqual([]);
  });

  it("keeps form names such as __proto__ and constructor as plain fields", async () => {
    const params = inbound({ __proto__: "x", constructor: "y", toString: "z" });
    expect((await postSigned("/twilio/sms", encodeForm(params))).status).toBe(200);
    await eventually(() => h.front.incoming.length === 1);
  });
});

describe("hostile Front and path input is refused with a 4xx and changes nothing", () => {
  const h = useHarness();

  const post = (body: string, path = h.frontWebhookUrl) =>
    fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body });
  const message = (overrides: Record<string, unknown> = {}) => ({
    ...frontCustomMessage({ apiBase: h.front.url, to: CUSTOMER, text: "hi" }),
    ...overrides,
  });
  const sends = () => h.twilio.requests.filter((r) => r.path.endsWith("/Messages.json"));

  it("answers 400 for malformed percent-escapes in any path parameter", async () => {
    for (const path of ["/front/%zz", "/front/%E0%A4%A", "/media/%", "/media/%ff%fe"]) {
      const response = await fetch(`${h.publicUrl}${path}`, {
        method: path.startsWith("/front") ? "POST" : "GET",
      });
      expect(response.status, path).toBe(400);
    }
  });

  it("answers 404 for a request target that is not a path", async () => {
    const response = await fetch(`${h.publicUrl}//healthz`);
    expect(response.status).toBe(404);
  });

  it.each([
    ["recipients: [null]", { recipients: [null] }],
    ["recipients that are not a list", { recipients: "+14155550123" }],
    ["an id that is not a Front message id", { id: "../../etc" }],
    ["no id", { id: undefined }],
  ])("refuses a message with %s with 400", async (_name, overrides) => {
    const response = await post(JSON.stringify(message(overrides)));
    expect(response.status).toBe(400);
    expect(sends()).toHaveLength(0);
    expect(await h.store.list({})).toEqual([]);
  });

  it("refuses JSON nested deeper than any Front payload with 400", async () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const response = await post(deep);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "body is nested deeper than 64 levels" });
    const deepInString = JSON.stringify(message({ text: "[".repeat(100_000) }));
    expect((await post(deepInString)).status).toBe(200);
  });

  it("ignores null attachments and decodes entities as HTML does, invalid code points included", async () => {
    const html = message({
      text: undefined,
      body: "<p>Caf&eacute; &#99999999; &#x1F600; &bogus; &notin &lt;b&gt;</p>",
      attachments: [null, 7, "x"],
    });
    const response = await post(JSON.stringify(html));
    expect(response.status).toBe(200);
    await eventually(() => sends().length === 1);
    expect((sends()[0]!.body as Record<string, string>).Body).toBe(
      // "&notin" without its ";" reads as the legacy "&not" + "in", as browsers read it.
      "Café \uFFFD 😀 &bogus; ¬in <b>",
    );
  });
});
