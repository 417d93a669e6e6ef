import { describe, expect, it } from "vitest";
import type { RecordedRequest } from "../../src/stand-ins/stand-in.js";
import { contractValidators } from "../helpers/contract.js";
import { specsPresent } from "../helpers/specs.js";

const request = (
  method: string,
  path: string,
  body: unknown,
  query: Record<string, string> = {},
): RecordedRequest => ({
  method,
  path,
  query,
  headers: { authorization: "Bearer token" },
  rawBody: Buffer.alloc(0),
  body,
});
const ACCOUNT = `/2010-04-01/Accounts/AC${"0".repeat(32)}`;

// The stand-ins are only as faithful as these checks; prove they can fail.
describe.runIf(specsPresent())("contract checks against ../shared/specs", () => {
  it("accept the requests the bridge makes", async () => {
    const { front, twilio } = await contractValidators();
    expect(
      front(
        request("POST", "/channels/cha_1/incoming_messages", {
          sender: { handle: "+14155550123" },
          body: "hi",
          body_format: "html",
          metadata: { thread_ref: "t", headers: { twilio_message_sid: "SM1" } },
        }),
      ),
    ).toEqual([]);
    expect(front(request("POST", "/conversations/cnv_1/comments", { body: "note" }))).toEqual([]);
    expect(
      front(
        request("PATCH", "/channels/cha_1", {
          settings: { webhook_url: "https://x.example.com/front/t" },
        }),
      ),
    ).toEqual([]);
    expect(
      twilio(
        request("POST", `${ACCOUNT}/Messages.json`, {
          To: "+14155550123",
          From: "+14155550100",
          Body: "hi",
          StatusCallback: "https://x.example.com/twilio/status",
        }),
      ),
    ).toEqual([]);
    expect(
      twilio(
        request("GET", `${ACCOUNT}/IncomingPhoneNumbers.json`, undefined, {
          PhoneNumber: "+14155550100",
          PageSize: "20",
        }),
      ),
    ).toEqual([]);
  });

  it("catch requests that break the published contract", async () => {
    const { front, twilio } = await contractValidators();
    expect(
      front(
        request("POST", "/channels/cha_1/incoming_messages", { sender: { name: "no handle" } }),
      ),
    ).not.toEqual([]);
    expect(
      front(
        request("POST", "/channels/cha_1/incoming_messages", {
          sender: { handle: "+1" },
          body: "x",
          body_format: "rtf",
        }),
      ),
    ).not.toEqual([]);
    expect(front(request("POST", "/channels/cha_1/inbound_messages_typo", {}))).toEqual([
      "no operation POST /channels/cha_1/inbound_messages_typo in front-core-api",
    ]);
    expect(
      twilio(request("POST", `${ACCOUNT}/Messages.json`, { From: "+14155550100", Body: "no To" })),
    ).not.toEqual([]);
    expect(
      twilio(
        request("POST", "/2010-04-01/Accounts/AC123/Messages.json", {
          To: "+1",
          From: "+1",
          Body: "short sid",
        }),
      ),
    ).not.toEqual([]);
  });
});
