// The custom-channel properties, run by front-custom.test.ts (no webhook secret: the token path is
// the only credential) and front-custom-secret.test.ts (X-Front-Signature required).
import fc from "fast-check";
import { expect, it } from "vitest";
import { frontCustomMessage } from "../../src/simulate/payloads.js";
import { signFrontCustom } from "../../src/webhooks/front-signature.js";
import { CUSTOMER, WEBHOOK_TOKEN, type Harness } from "../helpers/harness.js";
import {
  bytes,
  checkRequest,
  contentType,
  deepJson,
  expectHealthy,
  headers,
  mutations,
  nastyText,
  runs,
  type RawRequest,
  type Mutation,
  type RawResponse,
} from "./kit.js";
import {
  deepValue,
  hostileValue,
  mutateJson,
  toJsonText,
  TRAPS,
  withoutField,
} from "./front-json.js";

const FIELDS = [
  "id",
  "type",
  "is_inbound",
  "recipients",
  "body",
  "text",
  "attachments",
  "_links",
  "_links.related",
  "author",
  "metadata",
  "created_at",
] as const;

type Signing = "valid" | "none" | "wrong";
/** Which path: the right token, a wrong one, or the right one written differently. */
type PathKind = "right" | "wrong" | "encoded" | "extra-segment";

const pathOf: Record<PathKind, string> = {
  right: `/front/${WEBHOOK_TOKEN}`,
  wrong: `/front/${WEBHOOK_TOKEN.slice(0, -1)}x`,
  encoded: `/front/${WEBHOOK_TOKEN.replace("t", "%74")}`,
  "extra-segment": `/front/${WEBHOOK_TOKEN}/x`,
};
// Bad escapes have their own property below, so they do not hide what the body properties find.
const pathKind = fc.constantFrom<PathKind>(
  "right",
  "right",
  "right",
  "wrong",
  "encoded",
  "extra-segment",
);

function frontRequest(
  body: string | Buffer,
  options: {
    secret?: string | undefined;
    signing?: Signing;
    path?: PathKind;
    type?: string | undefined;
  },
): RawRequest {
  const how = options.signing ?? "valid";
  const signature =
    options.secret === undefined || how === "none"
      ? undefined
      : signFrontCustom(how === "valid" ? options.secret : `${options.secret}x`, body);
  return {
    method: "POST",
    path: pathOf[options.path ?? "right"],
    headers: headers({
      "content-type": "type" in options ? options.type : "application/json",
      "x-front-signature": signature,
    }),
    body,
  };
}

/** Custom channels answer 400 with "Sent to …" when some recipients got the SMS: not a refusal. */
const partial = (response: RawResponse) => response.body.includes("Sent to ");

export function customProperties(h: Harness, secret: string | undefined) {
  const message = (text = "hello") =>
    frontCustomMessage({ apiBase: h.front.url, to: CUSTOMER, text });
  const signingArb = fc.constantFrom<Signing>("valid", "valid", "none", "wrong");
  const check = (request: RawRequest) => checkRequest(h, request, { accepted4xx: partial });

  it("answers random JSON values below 500, and a refusal changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(hostileValue, signingArb, pathKind, async (value, how, path) => {
        await check(frontRequest(toJsonText(value), { secret, signing: how, path }));
      }),
      runs(120),
    );
    await expectHealthy(h);
  });

  it("answers arbitrary bytes, odd content types and deep nesting below 500", async () => {
    const body = fc.oneof(bytes, deepJson, nastyText);
    await fc.assert(
      fc.asyncProperty(
        body,
        contentType("application/json"),
        signingArb,
        async (raw, type, how) => {
          await check(frontRequest(raw, { secret, signing: how, type }));
        },
      ),
      runs(80),
    );
    await expectHealthy(h);
  });

  it("answers mutated real messages below 500, and a refusal changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        mutations(FIELDS, fc.oneof(hostileValue, deepValue)),
        signingArb,
        pathKind,
        async (changes, how, path) => {
          const mutated = mutateJson(message(), changes);
          await check(frontRequest(toJsonText(mutated), { secret, signing: how, path }));
        },
      ),
      runs(100),
    );
    await expectHealthy(h);
  });

  it("answers each known trap in each field of a real message below 500", async () => {
    // Exhaustive rather than sampled: every (field, trap) pair once; `body` is read without `text`.
    for (const field of FIELDS) {
      for (const value of TRAPS) {
        const changes: Mutation[] = [
          { op: "replace", field, value },
          ...(field === "body" ? [{ op: "drop" as const, field: "text" }] : []),
        ];
        await check(frontRequest(toJsonText(mutateJson(message(), changes)), { secret }));
      }
    }
    await expectHealthy(h);
  });

  it("turns any HTML body (no text) into an answer below 500", async () => {
    const html = fc.oneof(
      nastyText,
      fc.array(nastyText, { maxLength: 20 }).map((p) => p.join("")),
    );
    await fc.assert(
      fc.asyncProperty(html, async (body) => {
        const withoutText = withoutField(message(), "text");
        await check(frontRequest(JSON.stringify({ ...withoutText, body }), { secret }));
      }),
      runs(100),
    );
    await expectHealthy(h);
  });

  it("refuses a message whose id is not a Front message id (msg_…), changing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(nastyText, fc.stringMatching(/^[a-z]{3}_[0-9a-z]{1,8}$/)),
        async (id) => {
          fc.pre(!id.startsWith("msg_"));
          const response = await check(
            frontRequest(JSON.stringify({ ...message(), id }), { secret }),
          );
          expect(response.status, `id=${JSON.stringify(id)}`).toBe(400);
        },
      ),
      runs(40),
    );
  });

  it("answers token paths with bad percent-escapes below 500, changing nothing", async () => {
    const escape = fc.constantFrom(
      "%",
      "%2",
      "%zz",
      "%E0%A4%A",
      "%ED%A0%80",
      "%C0%AF",
      "%00",
      "%FF",
    );
    const suffix = fc.array(
      fc.oneof(
        escape,
        nastyText.map((text) => encodeURIComponent(Buffer.from(text).toString())).filter(Boolean),
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    await fc.assert(
      fc.asyncProperty(suffix, fc.boolean(), async (parts, prefixed) => {
        const token = prefixed ? `${WEBHOOK_TOKEN}${parts.join("")}` : parts.join("");
        await check({
          ...frontRequest(JSON.stringify(message()), { secret }),
          path: `/front/${token}`,
        });
      }),
      runs(60),
    );
    await expectHealthy(h);
  });

  it("answers a 60 000-character run of '<' as the HTML body", async () => {
    const withoutText = withoutField(message(), "text");
    await check(
      frontRequest(JSON.stringify({ ...withoutText, body: "<".repeat(60_000) }), { secret }),
    );
    await expectHealthy(h);
  });
}
