import { describe, expect, it } from "vitest";
import { CUSTOMER, useHarness } from "../helpers/harness.js";
import { eventually } from "../helpers/net.js";

describe("caller names (enrich.callerName)", () => {
  const h = useHarness({ callerNames: true });

  const lookups = () => h.twilio.requests.filter((r) => r.path.startsWith("/v2/PhoneNumbers/"));

  it("looks a number up once across many messages, names the sender and the Front contact", async () => {
    h.twilio.callerNames.set(CUSTOMER, "JANE DOE");
    for (const body of ["one", "two", "three"])
      await h.twilio.sendInboundSms({ from: CUSTOMER, body });
    await eventually(() => h.front.incoming.length === 3);
    expect(h.front.incoming.map((m) => m.message.sender)).toEqual(
      Array(3).fill({ handle: CUSTOMER, name: "JANE DOE" }),
    );
    expect(lookups()).toHaveLength(1);
    expect(lookups()[0]!.query).toEqual({ Fields: "caller_name" });
    expect(h.front.contacts).toMatchObject([
      { name: "JANE DOE", handles: [{ handle: CUSTOMER, source: "phone" }] },
    ]);
  });

  it("renames an existing contact, and caches 'no name' too", async () => {
    h.front.contacts.push({
      id: "crd_1",
      name: "+14155550123",
      handles: [{ handle: CUSTOMER, source: "phone" }],
    });
    h.twilio.callerNames.set(CUSTOMER, "ACME CORP");
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "hi" });
    await h.twilio.sendInboundSms({ from: "+14155550124", body: "no name here" });
    await h.twilio.sendInboundSms({ from: "+14155550124", body: "still none" });
    await eventually(() => h.front.incoming.length === 3);
    expect(h.front.contacts).toEqual([
      { id: "crd_1", name: "ACME CORP", handles: [{ handle: CUSTOMER, source: "phone" }] },
    ]);
    expect(lookups().filter((r) => r.path.includes("14155550124"))).toHaveLength(1);
    const unnamed = h.front.incoming.filter(
      (m) => (m.message.sender as { handle: string }).handle === "+14155550124",
    );
    expect(unnamed.map((m) => m.message.sender)).toEqual([
      { handle: "+14155550124" },
      { handle: "+14155550124" },
    ]);
  });

  it("still delivers, without a name, when Lookup fails", async () => {
    h.twilio.fail((r) => r.path.startsWith("/v2/PhoneNumbers/"), {
      status: 500,
      body: { code: 20500, message: "Internal Server Error", status: 500 },
    });
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "deliver me anyway" });
    await eventually(() => h.front.incoming.length === 1);
    expect(h.front.incoming[0]!.message.sender).toEqual({ handle: CUSTOMER });
    expect(h.logger.lines.some((l) => l.includes("caller-name lookup for +1415…23 failed"))).toBe(
      true,
    );
  });
});
