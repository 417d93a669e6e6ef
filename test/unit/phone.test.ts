import { describe, expect, it } from "vitest";
import { normalizeAddress, toAddress } from "../../src/phone.js";

describe("normalizeAddress", () => {
  it.each(["+1 (415) 555-0100", "14155550100", "+14155550100", "+1.415.555.0100"])(
    "writes %s as one E.164 number",
    (raw) => expect(normalizeAddress(raw)).toEqual({ kind: "phone", value: "+14155550100" }),
  );

  it("uses the default country for national numbers", () => {
    expect(normalizeAddress("020 7946 0018", "GB")).toEqual({
      kind: "phone",
      value: "+442079460018",
    });
    expect(normalizeAddress("(415) 555-0100", "us").value).toBe("+14155550100");
  });

  it.each(["whatsapp:+14155550100", "messenger:12345", "22395", "MyShop", "ACME Corp"])(
    "passes %s through unchanged",
    (raw) => expect(normalizeAddress(raw)).toEqual({ kind: "other", value: raw }),
  );

  it.each(["", "+1415", "+999 123", "4155550100"])("refuses %j with a reason", (raw) => {
    const address = normalizeAddress(raw);
    expect(address.kind).toBe("invalid");
  });

  it("says how to fix a number without a country code", () => {
    expect(() => toAddress("4155550100")).toThrow(/with \+ and the country code/);
  });
});
