import { describe, expect, it } from "vitest";
import { CUSTOMER, useHarness } from "../helpers/harness.js";
import { eventually } from "../helpers/net.js";

const ROUTE = "+14155550100|cha_test";

/** The bridge records, as it works, the facts `front-twilio report` reads back. */
describe("facts for report", () => {
  const h = useHarness();

  it("records deliveries to Front, replies' final statuses and opt changes, with their times", async () => {
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "Hello" });
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "STOP" });
    await eventually(() => h.front.incoming.length === 2);
    await h.twilio.sendInboundSms({ from: CUSTOMER, body: "START" });
    await eventually(() => h.front.incoming.length === 3);
    await h.front.sendAgentMessage({ to: CUSTOMER, text: "one" });
    await h.front.sendAgentMessage({ to: CUSTOMER, text: "two" });
    const [one, two] = h.twilio.messages;
    await h.twilio.sendStatus(one!.sid, "delivered");
    await h.twilio.sendStatus(two!.sid, "undelivered", 30007);
    // A repeated callback is one fact.
    await h.twilio.sendStatus(two!.sid, "undelivered", 30007);

    const route = (await h.store.list({})).find((job) => job.kind === "inbound")!.route;
    expect(route).toBe(ROUTE);
    await eventually(
      async () => (await h.store.factFigures(route, 0, Date.now() + 1)).inbound === 3,
    );
    const figures = await h.store.factFigures(route, 0, Date.now() + 1);
    expect(figures).toMatchObject({
      inbound: 3,
      delivered: 1,
      failures: [{ code: 30007, count: 1 }],
      optOuts: 1,
      optIns: 1,
    });
    expect(figures.medianInboundMs).toBeGreaterThanOrEqual(0);
    expect(figures.medianDeliveredMs).toBeGreaterThanOrEqual(0);
  });
});
