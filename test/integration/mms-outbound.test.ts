import { afterEach, describe, expect, it } from "vitest";
import { CUSTOMER, startHarness, type Harness } from "../helpers/harness.js";
import { eventually } from "../helpers/net.js";

const jpeg = Buffer.concat([
  Buffer.from("ffd8ffe000104a464946", "hex"),
  Buffer.alloc(2048, 7),
  Buffer.from("ffd9", "hex"),
]);

describe("outbound MMS: an agent's attachments", () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
    expect(h.front.violations).toEqual([]);
    expect(h.twilio.violations).toEqual([]);
  });

  it("reach Twilio as a MediaUrl that serves the image, then stops serving it after expiry", async () => {
    h = await startHarness({ tuning: { mediaTtlMs: 1_500 } });
    const photo = h.front.addAttachment("label.jpg", "image/jpeg", jpeg);
    const reply = await h.front.sendAgentMessage({
      to: CUSTOMER,
      text: "Here is your label",
      attachments: [photo],
    });
    expect(reply).toEqual({ status: 200, body: { type: "success" } });
    // Sent within the deadline, or (on a slow first run: the download's contract check compiles
    // the spec) finished by the worker just after: either way one send reaches Twilio.
    await eventually(() => h.twilio.messages.length === 1);
    const [sent] = h.twilio.messages;
    const request = h.twilio.requests.find((r) => r.path.endsWith("/Messages.json"))!;
    const mediaUrl = (request.body as { MediaUrl: string }).MediaUrl;
    expect(mediaUrl).toMatch(new RegExp(`^${h.publicUrl}/media/[\\w-]+\\.\\d+\\.[\\w-]+$`));
    await eventually(() => sent!.fetchedMedia?.length === 1);
    expect(sent!.fetchedMedia![0]).toMatchObject({ status: 200, contentType: "image/jpeg" });
    expect(sent!.fetchedMedia![0]!.bytes.equals(jpeg)).toBe(true);
    // Downloaded from Front with the channel's credentials.
    const download = h.front.requests.find((r) => r.path === `/download/${photo.id}`)!;
    expect(download.headers.authorization).toBe(`Bearer ${h.front.token}`);
    // Unguessable and unforgeable, then gone.
    expect((await fetch(mediaUrl.replace(/\.[\w-]+$/, ".forged"))).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect((await fetch(mediaUrl)).status).toBe(404);
  });

  it("an attachment-only reply works", async () => {
    h = await startHarness();
    const photo = h.front.addAttachment("map.png", "image/png", Buffer.from("89504e47", "hex"));
    const reply = await h.front.sendAgentMessage({ to: CUSTOMER, text: "", attachments: [photo] });
    expect(reply.status).toBe(200);
    const request = h.twilio.requests.find((r) => r.path.endsWith("/Messages.json"))!;
    expect(request.body).not.toHaveProperty("Body");
    expect(request.body).toHaveProperty("MediaUrl");
  });

  it("refuses attachments Twilio would not accept, with a reason the agent sees", async () => {
    h = await startHarness();
    const big = h.front.addAttachment("manual.pdf", "application/pdf", Buffer.alloc(600 * 1024, 1));
    const reply = await h.front.sendAgentMessage({
      to: CUSTOMER,
      text: "the manual",
      attachments: [big],
    });
    expect(reply).toEqual({
      status: 400,
      body: {
        type: "bad_request",
        message:
          "SMS not sent: manual.pdf (application/pdf, 600 KB) is over Twilio's limit of 500 KB (only JPEG, PNG and GIF may be up to 5 MB)",
      },
    });
    expect(h.twilio.requests).toHaveLength(0);
  });
});
