import { describe, expect, it } from "vitest";
import { CUSTOMER, useHarness } from "../helpers/harness.js";
import { eventually } from "../helpers/net.js";

const png = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63fcffff3f0300050001ff0d0a2db40000000049454e44ae426082",
  "hex",
);
const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const vcard = Buffer.from("BEGIN:VCARD\nVERSION:3.0\nFN:Jane Doe\nTEL:+14155550123\nEND:VCARD\n");

describe("inbound MMS", () => {
  const h = useHarness();

  it("arrives in Front as one message with every file, byte for byte, with its type", async () => {
    const sid = `MM${"c".repeat(32)}`;
    const media = [
      { url: h.twilio.addMedia(sid, "image/png", png), contentType: "image/png" },
      { url: h.twilio.addMedia(sid, "application/pdf", pdf), contentType: "application/pdf" },
      { url: h.twilio.addMedia(sid, "text/vcard", vcard), contentType: "text/vcard" },
    ];
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "my receipt", messageSid: sid, media });
    await eventually(() => h.front.incoming.length === 1);
    const [message] = h.front.incoming;
    expect(message!.message).toMatchObject({
      sender: { handle: CUSTOMER },
      body: "my receipt",
      body_format: "html",
      metadata: { thread_ref: `sms:${CUSTOMER}:+14155550100` },
    });
    expect(
      message!.attachments.map((f) => [f.field, f.contentType, f.bytes.toString("hex")]),
    ).toEqual([
      ["attachments[0]", "image/png", png.toString("hex")],
      ["attachments[1]", "application/pdf", pdf.toString("hex")],
      ["attachments[2]", "text/vcard", vcard.toString("hex")],
    ]);
    // The account's credentials went to Twilio's API, never to the CDN it redirects to.
    const api = h.twilio.requests.filter((r) => r.path.includes("/Media/"));
    const cdn = h.twilio.requests.filter((r) => r.path.startsWith("/cdn/"));
    expect(api).toHaveLength(3);
    expect(api.every((r) => r.headers.authorization?.startsWith("Basic "))).toBe(true);
    expect(cdn.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it("gives an MMS with no text a body, and names a media URL on a foreign host instead of fetching it", async () => {
    const sid = `MM${"d".repeat(32)}`;
    const media = [
      { url: "https://attacker.example/steal.jpg", contentType: "image/jpeg" },
      { url: h.twilio.addMedia(sid, "image/png", png), contentType: "image/png" },
    ];
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "", messageSid: sid, media });
    await eventually(() => h.front.incoming.length === 1);
    const [message] = h.front.incoming;
    expect(message!.message.body).toBe(
      "(MMS with no text)<br><br><b>⚠ An attachment was not fetched because its address is not Twilio&#39;s: https://attacker.example/steal.jpg</b>".replace(
        "&#39;",
        "'",
      ),
    );
    expect(message!.attachments).toHaveLength(1);
  });

  it("retries the delivery when the media download fails, like any other failure", async () => {
    const sid = `MM${"e".repeat(32)}`;
    const url = h.twilio.addMedia(sid, "image/png", png);
    h.twilio.fail((r) => r.path.includes("/Media/"), {
      status: 503,
      body: { code: 20500, message: "unavailable", status: 503 },
    });
    await h.twilio.sendInboundSms({
      from: CUSTOMER,
      body: "retry me",
      messageSid: sid,
      media: [{ url, contentType: "image/png" }],
    });
    await eventually(() => h.front.incoming.length === 1);
    expect(h.front.incoming[0]!.attachments).toHaveLength(1);
    expect(
      h.logger.lines.some(
        (l) => l.includes("retry inbound") && l.includes("media download answered 503"),
      ),
    ).toBe(true);
  });
});
