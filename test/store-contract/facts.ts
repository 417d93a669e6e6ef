import { expect, it } from "vitest";
import type { Store } from "../../src/store/store.js";

const ROUTE = "+14155550100|cha_sms";

/** The facts report reads (recordFact, factFigures, their pruning), for every backend. */
export function factsContract(store: () => Store): void {
  it("counts each kind in the window, failures by code, and takes the medians", async () => {
    const facts = [
      { kind: "inbound", ref: "SM1", at: 1_000, latencyMs: 300 },
      { kind: "inbound", ref: "SM2", at: 2_000, latencyMs: 100 },
      { kind: "inbound", ref: "SM3", at: 3_000, latencyMs: 200 },
      { kind: "delivered", ref: "SM4", at: 3_000, latencyMs: 4_000 },
      { kind: "delivered", ref: "SM5", at: 3_500, latencyMs: 2_000 },
      { kind: "delivered", ref: "SM9", at: 3_600 },
      { kind: "failed", ref: "SM6", at: 4_000, code: 30007 },
      { kind: "failed", ref: "SM7", at: 4_100, code: 30007 },
      { kind: "failed", ref: "SM8", at: 4_200, code: 0 },
      { kind: "opt-out", ref: "SM10", at: 4_300 },
      { kind: "opt-in", ref: "SM11", at: 4_400 },
    ] as const;
    for (const fact of facts) await store().recordFact({ route: ROUTE, ...fact });
    await store().recordFact({
      route: "+14155550199|cha_other",
      kind: "inbound",
      ref: "SMx",
      at: 1_500,
    });

    expect(await store().factFigures(ROUTE, 0, 10_000)).toEqual({
      inbound: 3,
      delivered: 3,
      failures: [
        { code: 30007, count: 2 },
        { code: 0, count: 1 },
      ],
      optOuts: 1,
      optIns: 1,
      medianInboundMs: 200,
      // Two timed deliveries: the mean of the two middle ones; the untimed one is not counted.
      medianDeliveredMs: 3_000,
    });
  });

  it("keeps one fact per kind and sid, reads only [from, to), and prunes old facts", async () => {
    await store().recordFact({
      route: ROUTE,
      kind: "inbound",
      ref: "SM1",
      at: 1_000,
      latencyMs: 5,
    });
    await store().recordFact({
      route: ROUTE,
      kind: "inbound",
      ref: "SM1",
      at: 1_500,
      latencyMs: 9,
    });
    await store().recordFact({ route: ROUTE, kind: "inbound", ref: "SM2", at: 2_000 });
    expect((await store().factFigures(ROUTE, 0, 2_000)).inbound).toBe(1);
    expect((await store().factFigures(ROUTE, 1_001, 5_000)).inbound).toBe(1);
    expect((await store().factFigures(ROUTE, 0, 5_000)).medianInboundMs).toBe(5);
    const empty = await store().factFigures(ROUTE, 10_000, 20_000);
    expect(empty).toMatchObject({ inbound: 0, medianInboundMs: null, failures: [] });

    const pruned = await store().prune({ payloadsBefore: 0, keysBefore: 1_500, limit: 100 });
    expect(pruned.links).toBe(1);
    expect((await store().factFigures(ROUTE, 0, 5_000)).inbound).toBe(1);
  });
}
