import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acceptInboundSms, createInboundHandler } from "../../src/bridge/inbound.js";
import type { FrontChannel } from "../../src/bridge/front-channel.js";
import type { MediaFetcher } from "../../src/clients/twilio-media.js";
import { systemClock } from "../../src/clock.js";
import { silentLogger } from "../../src/log.js";
import { createSqliteStore } from "../../src/store/sqlite-store.js";
import type { Store } from "../../src/store/store.js";
import { makeRoute, type Route } from "../../src/types.js";

/** A route with `tag` queues one tag job per customer message Front accepted. */
describe("inbound delivery with a route tag", () => {
  let store: Store;
  beforeEach(() => {
    store = createSqliteStore(new Database(":memory:"));
  });
  afterEach(async () => {
    await store.close();
  });

  async function deliver(route: Route, sid: string) {
    let woken = 0;
    const channel = {
      deliverInbound: async () => ({ frontMessageUid: `uid-${sid}` }),
    } as unknown as FrontChannel;
    const handle = createInboundHandler({
      store,
      clock: systemClock,
      logger: silentLogger,
      routes: () => ({ route, channel }),
      metrics: { delivered: () => undefined },
      media: {} as MediaFetcher,
      wake: () => void woken++,
    });
    const { sms } = await acceptInboundSms(
      store,
      route,
      { messageSid: sid, from: "+14155550123", body: "Hi", numMedia: 0, receivedAt: Date.now() },
      Date.now(),
    );
    const job = (await store.getByKey(`in:${sms.messageSid}`))!;
    expect(await handle(job)).toMatchObject({ kind: "done" });
    return woken;
  }

  it("queues a tag job with the message's uid and wakes the worker", async () => {
    const route = { ...makeRoute("+14155550100", "cha_sms"), tag: "sms-support" };
    expect(await deliver(route, "SM1")).toBe(1);
    const job = await store.getByKey("tag:uid-SM1");
    expect(job).toMatchObject({
      kind: "tag",
      route: route.id,
      payload: { frontMessageUid: "uid-SM1", tag: "sms-support" },
    });
  });

  it("queues nothing for a route without a tag", async () => {
    expect(await deliver(makeRoute("+14155550100", "cha_sms"), "SM2")).toBe(0);
    expect((await store.list({})).filter((j) => j.kind === "tag")).toEqual([]);
  });
});
