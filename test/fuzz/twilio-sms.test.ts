import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { twilioInboundParams } from "../../src/simulate/payloads.js";
import { CUSTOMER } from "../helpers/harness.js";
import {
  bytes,
  checkRequest,
  expectHealthy,
  formBody,
  runs,
  TWILIO_NUMBER,
  useFuzzHarness,
} from "./kit.js";
import {
  encodeForm,
  formContentType,
  formMutations,
  itRefusesRepeatedKeys,
  mutateForm,
  signing,
  twilioRequest,
} from "./twilio-forms.js";

const FIELDS = [
  "MessageSid",
  "SmsSid",
  "SmsMessageSid",
  "AccountSid",
  "From",
  "To",
  "Body",
  "NumMedia",
  "MediaUrl0",
  "MediaContentType0",
  "OptOutType",
  "NumSegments",
  "SmsStatus",
  "ApiVersion",
] as const;

const SID = /^(SM|MM)[0-9a-f]{32}$/;

describe("fuzz POST /twilio/sms", () => {
  const h = useFuzzHarness();
  const realParams = (body = "hello") =>
    twilioInboundParams({
      accountSid: h.twilio.accountSid,
      from: CUSTOMER,
      to: TWILIO_NUMBER,
      body,
    });

  it("answers random forms below 500, and a refusal changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(formBody(FIELDS), signing, formContentType, async (body, how, type) => {
        await checkRequest(h, twilioRequest(h, "/twilio/sms", body, how, type));
      }),
      runs(150),
    );
    await expectHealthy(h);
  });

  it("answers arbitrary bytes below 500, and a refusal changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(bytes, signing, async (raw, how) => {
        await checkRequest(h, { ...twilioRequest(h, "/twilio/sms", "", how), body: raw });
      }),
      runs(60),
    );
    await expectHealthy(h);
  });

  it("answers mutated real webhooks below 500, signed or not, and a refusal changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(formMutations(FIELDS), signing, async (changes, how) => {
        const body = encodeForm(mutateForm(realParams(), changes));
        await checkRequest(h, twilioRequest(h, "/twilio/sms", body, how));
      }),
      runs(120),
    );
    await expectHealthy(h);
  });

  it("refuses a signed webhook whose MessageSid or SmsSid is not SM|MM + 32 hex, changing nothing", async () => {
    const badSid = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.stringMatching(/^(SM|MM)[0-9a-fA-Fg-z]{0,40}$/),
    );
    await fc.assert(
      fc.asyncProperty(badSid, fc.constantFrom("MessageSid", "SmsSid"), async (sid, field) => {
        fc.pre(!SID.test(sid) && sid.trim() !== "");
        const params = { ...realParams(), [field]: sid };
        const response = await checkRequest(
          h,
          twilioRequest(h, "/twilio/sms", encodeForm(params), "valid"),
        );
        expect(response.status, `${field}=${JSON.stringify(sid)}`).toBe(400);
      }),
      runs(60),
    );
  });

  it("refuses a signed webhook from another account, changing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.stringMatching(/^AC[0-9a-f]{32}$/), fc.string({ maxLength: 34 })),
        async (account) => {
          fc.pre(account !== h.twilio.accountSid);
          const params = { ...realParams(), AccountSid: account };
          const response = await checkRequest(
            h,
            twilioRequest(h, "/twilio/sms", encodeForm(params), "valid"),
          );
          expect(response.status, `AccountSid=${JSON.stringify(account)}`).toBe(400);
        },
      ),
      runs(40),
    );
  });

  itRefusesRepeatedKeys(h, "/twilio/sms");
});
