import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { frontAppEvent, frontCustomMessage } from "../../src/simulate/payloads.js";
import { signFrontApp } from "../../src/webhooks/front-app-signature.js";
import { APP_SECRET, CUSTOMER, WEBHOOK_TOKEN } from "../helpers/harness.js";
import {
  bytes,
  checkRequest,
  contentType,
  deepJson,
  expectHealthy,
  headers,
  mutations,
  nastyText,
  quiesce,
  rawRequest,
  runs,
  snapshot,
  useFuzzHarness,
  type RawRequest,
} from "./kit.js";
import {
  deepValue,
  hostileValue,
  mutateJson,
  toJsonText,
  TRAPS,
  withoutField,
} from "./front-json.js";

const PATH = `/front/${WEBHOOK_TOKEN}`;
const TYPES = [
  "authorization",
  "message",
  "message_autoreply",
  "message_imported",
  "delete",
  "unknown_event",
];
const FIELDS = [
  "type",
  "payload",
  "metadata",
  "payload.id",
  "payload.channel_id",
  "payload.recipients",
  "payload.body",
  "payload.text",
  "payload.attachments",
  "payload._links",
  "payload.metadata",
] as const;

type Signing = "valid" | "none" | "wrong-secret" | "stale" | "bad-timestamp" | "body-signed-delete";
const signingArb = fc.constantFrom<Signing>(
  "valid",
  "valid",
  "valid",
  "none",
  "wrong-secret",
  "stale",
  "bad-timestamp",
  "body-signed-delete",
);

/** Signed as Front signs channel events: "<timestamp>:<body>", and "<timestamp>:undefined" for DELETE. */
function appRequest(
  method: "POST" | "DELETE",
  body: string | Buffer,
  how: Signing,
  type: string | undefined = "application/json",
): RawRequest {
  const now = Date.now();
  const timestamp =
    { stale: String(now - 10 * 60_000), "bad-timestamp": "1e999" }[how as string] ?? String(now);
  const signed = method === "DELETE" && how !== "body-signed-delete" ? "undefined" : body;
  const signature =
    how === "none"
      ? undefined
      : signFrontApp(how === "wrong-secret" ? `${APP_SECRET}x` : APP_SECRET, timestamp, signed);
  return {
    method,
    path: PATH,
    headers: headers({
      "content-type": type,
      "x-front-request-timestamp": how === "none" ? undefined : timestamp,
      "x-front-signature": signature,
    }),
    body,
  };
}

describe("fuzz POST|DELETE /front/<token>, application channel", () => {
  const h = useFuzzHarness({ application: true });
  const method = fc.constantFrom<"POST" | "DELETE">("POST", "POST", "DELETE");
  const agentMessage = () =>
    frontCustomMessage({
      apiBase: h.front.url,
      to: CUSTOMER,
      text: "hello",
      conversationId: "cnv_app",
    });
  const realEvent = (type: string) =>
    type === "authorization" || type === "delete"
      ? frontAppEvent(type, { channel_id: "cha_app" })
      : type === "message_imported"
        ? frontAppEvent(type, {
            id: "msg_imported",
            metadata: { external_id: `SM${"0".repeat(32)}` },
          })
        : frontAppEvent(type, agentMessage());

  /** A valid `delete` disconnects the channel; connect it again so every run starts the same. */
  async function connected() {
    if (
      (await h.store.getMeta("application.channelId")) !== "cha_app" ||
      (await h.store.getMeta("application.removedChannelId"))
    ) {
      const reply = await h.front.authorize(h.frontWebhookUrl);
      expect(reply.status).toBe(200);
    }
  }

  beforeAll(connected);

  it("answers random JSON values below 500, signed or not, and a refusal changes nothing", async () => {
    const event = fc.oneof(
      hostileValue,
      fc
        .tuple(fc.constantFrom(...TYPES), hostileValue)
        .map(([type, payload]) => ({ type, payload })),
    );
    await fc.assert(
      fc.asyncProperty(event, method, signingArb, async (value, m, how) => {
        await connected();
        await checkRequest(h, appRequest(m, toJsonText(value), how));
      }),
      runs(150),
    );
    await expectHealthy(h);
  });

  it("answers arbitrary bytes, odd content types and deep nesting below 500", async () => {
    const body = fc.oneof(bytes, deepJson, nastyText);
    await fc.assert(
      fc.asyncProperty(
        body,
        contentType("application/json"),
        method,
        signingArb,
        async (raw, type, m, how) => {
          await connected();
          await checkRequest(h, appRequest(m, raw, how, type));
        },
      ),
      runs(80),
    );
    await expectHealthy(h);
  });

  it("answers mutated real events below 500, and a refusal changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TYPES),
        mutations(FIELDS, fc.oneof(hostileValue, deepValue)),
        method,
        signingArb,
        async (type, changes, m, how) => {
          await connected();
          const event = mutateJson(
            realEvent(type),
            changes.map((c) => ({ ...c, field: c.field })),
          );
          await checkRequest(h, appRequest(m, toJsonText(event), how));
        },
      ),
      runs(150),
    );
    await expectHealthy(h);
  });

  it("a mutated payload nested inside payload.* answers below 500", async () => {
    // Mutations one level into `payload` (recipients: [null], attachments: [null], deep values).
    const nested = mutations(
      ["id", "recipients", "body", "text", "attachments", "_links", "metadata", "channel_id"],
      fc.oneof(hostileValue, deepValue),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TYPES),
        nested,
        signingArb,
        async (type, changes, how) => {
          await connected();
          const event = realEvent(type);
          const payload = mutateJson(event.payload as Record<string, unknown>, changes);
          await checkRequest(h, appRequest("POST", toJsonText({ ...event, payload }), how));
        },
      ),
      runs(150),
    );
    await expectHealthy(h);
  });

  it("answers each known trap in each payload field of each event below 500", async () => {
    const fields = [
      "id",
      "recipients",
      "body",
      "text",
      "attachments",
      "_links",
      "metadata",
      "channel_id",
    ];
    const cases = fields.flatMap((field) => TRAPS.map((value) => ({ field, value })));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TYPES),
        fc.constantFrom(...cases),
        fc.boolean(),
        async (type, { field, value }, dropText) => {
          await connected();
          const event = realEvent(type);
          const payload = mutateJson(event.payload as Record<string, unknown>, [
            { op: "replace", field, value },
            ...(dropText ? [{ op: "drop" as const, field: "text" }] : []),
          ]);
          await checkRequest(h, appRequest("POST", toJsonText({ ...event, payload }), "valid"));
        },
      ),
      runs(150),
    );
    await expectHealthy(h);
  });

  it("a signed DELETE authorises only removal: no channel change, no SMS, no links", async () => {
    // Front signs a DELETE as "<timestamp>:undefined", so its body is not authenticated at all.
    const body = fc.oneof(
      fc.constantFrom(...TYPES).map((type) => toJsonText(realEvent(type))),
      fc.constantFrom(
        JSON.stringify(frontAppEvent("authorization", { channel_id: "cha_attacker" })),
        JSON.stringify(
          frontAppEvent("message", {
            ...frontCustomMessage({ apiBase: "http://x", to: CUSTOMER, text: "pwned" }),
          }),
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        await connected();
        await quiesce(h);
        const before = await snapshot(h);
        const sent = h.twilio.messages.length;
        const response = await rawRequest(h.publicUrl, appRequest("DELETE", raw, "valid"));
        const what = `DELETE ${raw.slice(0, 200)} -> ${response.status} ${response.body}`;
        expect(response.status, what).toBeLessThan(500);
        const after = await snapshot(h);
        expect(after.jobs, what).toEqual(before.jobs);
        expect(h.twilio.messages.length, what).toBe(sent);
        expect(await h.store.getMeta("application.channelId"), what).toBe("cha_app");
      }),
      runs(30),
    );
    await connected();
    await expectHealthy(h);
  });

  it("refuses a signed authorization whose channel_id is not a Front channel id (cha_…), changing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(nastyText, fc.stringMatching(/^[a-z]{3}_[0-9a-z]{1,8}$/)),
        async (id) => {
          fc.pre(!id.startsWith("cha_"));
          await connected();
          const body = JSON.stringify(frontAppEvent("authorization", { channel_id: id }));
          const response = await checkRequest(h, appRequest("POST", body, "valid"));
          expect(response.status, `channel_id=${JSON.stringify(id)}`).toBe(400);
        },
      ),
      runs(30),
    );
    await connected();
  });

  it("answers an auto-reply without an id whose payload is nested 100 000 deep below 500", async () => {
    await connected();
    const depth = 100_000;
    const withoutId = withoutField(agentMessage(), "id");
    const payload = JSON.stringify(withoutId).replace(
      /}$/,
      `,"metadata":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`,
    );
    const body = `{"type":"message_autoreply","payload":${payload}}`;
    await checkRequest(h, appRequest("POST", body, "valid"));
    await expectHealthy(h);
  });

  it("answers a 60 000-character run of '<' as an agent message's HTML body", async () => {
    await connected();
    const withoutText = withoutField(agentMessage(), "text");
    const body = JSON.stringify(
      frontAppEvent("message", { ...withoutText, body: "<".repeat(60_000) }),
    );
    await checkRequest(h, appRequest("POST", body, "valid"));
    await expectHealthy(h);
  });
});
