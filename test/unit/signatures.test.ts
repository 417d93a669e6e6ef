import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { signFrontCustom, verifyFrontCustom } from "../../src/webhooks/front-signature.js";
import { encodeForm } from "../../src/webhooks/form.js";
import { signTwilio, verifyTwilio } from "../../src/webhooks/twilio-signature.js";

const vectors = JSON.parse(
  readFileSync(new URL("../fixtures/signatures.json", import.meta.url), "utf8"),
) as {
  twilio: {
    authToken: string;
    params: Record<string, string>;
    cases: { url: string; signature: string }[];
    arrays: { url: string; body: string; signature: string }[];
  };
  frontCustom: { secret: string; body: string; signature: string };
};

describe("Twilio X-Twilio-Signature", () => {
  const { authToken, params } = vectors.twilio;
  const body = encodeForm(params);

  it.each(vectors.twilio.cases)("verifies twilio-node's vector for $url", ({ url, signature }) => {
    expect(verifyTwilio(authToken, url, body, signature)).toBe(true);
  });

  it("signs to twilio-node's known answer", () => {
    expect(signTwilio(authToken, vectors.twilio.cases[0]!.url, body)).toBe(
      vectors.twilio.cases[0]!.signature,
    );
  });

  it.each(vectors.twilio.arrays)(
    "handles repeated form fields ($signature)",
    ({ url, body: raw, signature }) => {
      expect(verifyTwilio(authToken, url, raw, signature)).toBe(true);
    },
  );

  it("refuses a tampered body, another URL, the wrong token, and a missing header", () => {
    const { url, signature } = vectors.twilio.cases[0]!;
    expect(
      verifyTwilio(authToken, url, body.replace("Digits=1234", "Digits=9999"), signature),
    ).toBe(false);
    expect(verifyTwilio(authToken, url.replace("https:", "http:"), body, signature)).toBe(false);
    expect(verifyTwilio(authToken, `${url}/`, body, signature)).toBe(false);
    expect(verifyTwilio("54321", url, body, signature)).toBe(false);
    expect(verifyTwilio(authToken, url, body, undefined)).toBe(false);
    expect(verifyTwilio(authToken, url, body, "")).toBe(false);
    expect(verifyTwilio(authToken, url, body, "not base64 at all")).toBe(false);
  });

  it("round-trips a unicode body", () => {
    const raw = encodeForm({ Body: "Ça va? 👍", From: "+14155550123" });
    const url = "https://sms.example.com/twilio/sms";
    expect(verifyTwilio("token", url, raw, signTwilio("token", url, raw))).toBe(true);
  });
});

describe("Front custom channel X-Front-Signature (HMAC-SHA1)", () => {
  const { secret, body, signature } = vectors.frontCustom;

  it("signs to the known answer and verifies it", () => {
    expect(signFrontCustom(secret, body)).toBe(signature);
    expect(verifyFrontCustom(secret, Buffer.from(body), signature)).toBe(true);
  });

  it("refuses a tampered body, the wrong secret, a missing or malformed header", () => {
    expect(verifyFrontCustom(secret, body.replace("123", "124"), signature)).toBe(false);
    expect(verifyFrontCustom("other", body, signature)).toBe(false);
    expect(verifyFrontCustom(secret, body, undefined)).toBe(false);
    expect(verifyFrontCustom(secret, body, signature.slice(0, -2))).toBe(false);
    expect(verifyFrontCustom(secret, body, "x".repeat(28))).toBe(false);
  });

  it("checks the raw bytes, not re-serialised JSON", () => {
    const spaced = '{ "type": "message", "payload": { "id": "msg_123" } }';
    expect(verifyFrontCustom(secret, spaced, signature)).toBe(false);
    expect(verifyFrontCustom(secret, spaced, signFrontCustom(secret, spaced))).toBe(true);
  });
});
