import { describe, expect, it } from "vitest";
import { createCallerNames } from "../../src/bridge/caller-names.js";
import type { TwilioGateway } from "../../src/clients/twilio.js";
import { systemClock } from "../../src/clock.js";
import { silentLogger } from "../../src/log.js";
import type { Store } from "../../src/store/store.js";

describe("caller names", () => {
  it("concurrent messages from a new number trigger one Lookup (single flight)", async () => {
    const names = new Map<string, { name: string | null; lookedUpAt: number }>();
    let lookups = 0;
    let answer!: (name: string) => void;
    const twilio = {
      lookupCallerName: () => {
        lookups++;
        return new Promise<string>((resolve) => (answer = resolve));
      },
    } as unknown as TwilioGateway;
    const store = {
      getCallerName: (number: string) => names.get(number),
      setCallerName: (number: string, name: string | null, now: number) =>
        void names.set(number, { name, lookedUpAt: now }),
    } as unknown as Store;
    const callerNames = createCallerNames({
      store,
      twilio,
      clock: systemClock,
      logger: silentLogger,
      metrics: { lookup: () => undefined },
    });
    const both = Promise.all([
      callerNames.nameFor("+14155550123"),
      callerNames.nameFor("+14155550123"),
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    answer("JANE DOE");
    expect(await both).toEqual(["JANE DOE", "JANE DOE"]);
    expect(lookups).toBe(1);
    expect(await callerNames.nameFor("+14155550123")).toBe("JANE DOE");
    expect(lookups).toBe(1);
  });
});
