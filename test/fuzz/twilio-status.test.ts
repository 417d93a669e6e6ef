import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { FormParams } from "../../src/webhooks/form.js";
import { CUSTOMER } from "../helpers/harness.js";
import { bytes, checkRequest, expectHealthy, formBody, runs, useFuzzHarness } from "./kit.js";
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
  "MessageStatus",
  "SmsStatus",
  "ErrorCode",
  "AccountSid",
  "From",
  "To",
  "ApiVersion",
] as const;

const STATUSES = ["queued", "sent", "delivered", "failed", "undelivered", "read", "received"];

describe("fuzz POST /twilio/status", () => {
  const h = useFuzzHarness();
  let sid = "";
  const watch = () => ({ sids: [sid] });
  const statusParams = (status: string): FormParams => ({
    MessageSid: sid,
    SmsSid: sid,
    MessageStatus: status,
    SmsStatus: status,
    AccountSid: h.twilio.accountSid,
    From: "+14155550100",
    To: CUSTOMER,
    ApiVersion: "2010-04-01",
  });

  beforeAll(async () => {
    // A message the bridge sent, so mutated callbacks can reach a real link in the store.
    const sent = await h.front.sendAgentMessage({
      to: CUSTOMER,
      text: "seed",
      conversationId: "cnv_seed",
    });
    expect(sent.status).toBe(200);
    sid = h.twilio.messages[0]!.sid;
  });

  it("answers random forms below 500, and a refusal changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(formBody(FIELDS), signing, formContentType, async (body, how, type) => {
        await checkRequest(h, twilioRequest(h, "/twilio/status", body, how, type), {
          watch: watch(),
        });
      }),
      runs(150),
    );
    await expectHealthy(h);
  });

  it("answers arbitrary bytes below 500, and a refusal changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(bytes, signing, async (raw, how) => {
        await checkRequest(
          h,
          { ...twilioRequest(h, "/twilio/status", "", how), body: raw },
          { watch: watch() },
        );
      }),
      runs(60),
    );
    await expectHealthy(h);
  });

  it("answers mutated real callbacks below 500, signed or not, and a refusal changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...STATUSES),
        formMutations([...FIELDS]),
        signing,
        async (status, changes, how) => {
          const body = encodeForm(mutateForm(statusParams(status), changes));
          await checkRequest(h, twilioRequest(h, "/twilio/status", body, how), {
            watch: watch(),
          });
        },
      ),
      runs(150),
    );
    await expectHealthy(h);
  });

  it("refuses a signed callback whose MessageSid is not SM|MM + 32 hex, changing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^(SM|MM)[0-9a-z]{0,40}$/)),
        async (bad) => {
          fc.pre(!/^(SM|MM)[0-9a-f]{32}$/.test(bad) && bad.trim() !== "");
          const params = { ...statusParams("delivered"), MessageSid: bad, SmsSid: bad };
          const response = await checkRequest(
            h,
            twilioRequest(h, "/twilio/status", encodeForm(params), "valid"),
            { watch: watch() },
          );
          expect(response.status, `MessageSid=${JSON.stringify(bad)}`).toBe(400);
        },
      ),
      runs(40),
    );
  });

  itRefusesRepeatedKeys(h, "/twilio/status");
});
