import fc from "fast-check";
import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { nestingDepth } from "../../src/http/json-body.js";
import { encodeForm, parseForm, type FormParams } from "../../src/webhooks/form.js";
import { signTwilio, urlVariants, verifyTwilio } from "../../src/webhooks/twilio-signature.js";

describe("the form parser", () => {
  it("keeps every value of a repeated name, in order, in one pass", () => {
    const raw = Array.from({ length: 30_000 }, (_, i) => `a=${i}`).join("&");
    const form = parseForm(raw);
    expect(form.a).toHaveLength(30_000);
    expect((form.a as string[])[29_999]).toBe("29999");
  });

  it("reads names that are Object.prototype's as plain fields", () => {
    const form = parseForm("__proto__=1&constructor=2&constructor=3&hasOwnProperty=4");
    expect(Object.getPrototypeOf(form)).toBeNull();
    expect(Object.entries(form)).toEqual([
      ["__proto__", "1"],
      ["constructor", ["2", "3"]],
      ["hasOwnProperty", "4"],
    ]);
  });

  it("round-trips any form through encodeForm", () => {
    fc.assert(
      fc.property(formArbitrary, (form) => {
        expect({ ...parseForm(encodeForm(form)) }).toEqual({ ...form });
      }),
    );
  });
});

/** Forms as Twilio could send them: any names and values, some names repeated. */
const formArbitrary = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.array(fc.string({ maxLength: 8 }), { minLength: 2, maxLength: 4 }),
  ),
  { maxKeys: 8 },
) as fc.Arbitrary<FormParams>;

describe("the direct X-Twilio-Signature", () => {
  it("equals twilio-node's getExpectedTwilioSignature for any form and URL", () => {
    fc.assert(
      fc.property(formArbitrary, fc.webUrl(), fc.string({ minLength: 1 }), (form, url, token) => {
        expect(signTwilio(token, url, form)).toBe(
          twilio.getExpectedTwilioSignature(token, url, { ...form }),
        );
      }),
    );
  });

  it("accepts what twilio-node's validateRequest accepts, for each port variant", () => {
    fc.assert(
      fc.property(
        formArbitrary,
        fc.webUrl({ withQueryParameters: false }),
        fc.boolean(),
        (form, url, withPort) => {
          const signedUrl = withPort ? urlVariants(url).at(-1)! : urlVariants(url)[0]!;
          const signature = twilio.getExpectedTwilioSignature("token", signedUrl, { ...form });
          const theirs = twilio.validateRequest("token", signature, url, { ...form });
          expect(verifyTwilio("token", url, form, signature)).toBe(theirs);
        },
      ),
    );
  });

  it("lists the URL without its port and with the scheme's default port", () => {
    expect(urlVariants("https://sms.example.com/twilio/sms")).toEqual([
      "https://sms.example.com/twilio/sms",
      "https://sms.example.com:443/twilio/sms",
    ]);
    expect(urlVariants("http://[::1]:8080/twilio/sms")).toEqual([
      "http://[::1]:8080/twilio/sms",
      "http://[::1]/twilio/sms",
    ]);
  });
});

describe("the JSON nesting bound", () => {
  it("counts brackets outside strings only, escapes included", () => {
    expect(nestingDepth(Buffer.from('{"a":[1,{"b":[]}]}'))).toBe(4);
    expect(nestingDepth(Buffer.from('{"a":"[[[[\\"[[["}'))).toBe(1);
    expect(nestingDepth(Buffer.from("[".repeat(1000)))).toBe(1000);
  });

  it("agrees with JSON's own depth for any JSON value", () => {
    const depth = (value: unknown): number =>
      typeof value === "object" && value !== null
        ? 1 + Math.max(0, ...Object.values(value).map(depth))
        : 0;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(nestingDepth(Buffer.from(JSON.stringify(value)))).toBe(depth(value));
      }),
    );
  });
});
