import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewJob, Store } from "../../src/store/store.js";
import { factsContract } from "./facts.js";

const job = (n: number | string, orderKey = "in:a"): NewJob => ({
  kind: "inbound",
  dedupeKey: `in:SM${n}`,
  route: "+14155550100|cha_1",
  orderKey,
  payload: { n },
});

const LEASE = 60_000;

/**
 * The Store's contract, method by method, for every backend: `open` gives a fresh, empty store
 * for each test (and the suite closes it).
 */
export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`${name} store contract`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    factsContract(() => store);

    it("dedupes on the key: the second enqueue returns the first job", async () => {
      const first = await store.enqueue(job(1), 1000);
      const again = await store.enqueue({ ...job(1), payload: { n: "other" } }, 2000);
      expect(first.created).toBe(true);
      expect(again.created).toBe(false);
      expect(again.job.id).toBe(first.job.id);
      expect(again.job.payload).toEqual({ n: 1 });
      expect((await store.summary()).pending).toBe(1);
      expect(await store.getByKey("in:SM1")).toMatchObject({ id: first.job.id, createdAt: 1000 });
    });

    it("enqueue → claim → complete", async () => {
      const { job: queued } = await store.enqueue(job(1), 1000);
      expect(queued).toMatchObject({ state: "pending", attempts: 0, attemptStartedAt: null });
      const claimed = (await store.claimNext(1000, LEASE, "me"))!;
      expect(claimed).toMatchObject({
        id: queued.id,
        state: "running",
        attempts: 1,
        leaseUntil: 1000 + LEASE,
        leaseOwner: "me",
      });
      expect(await store.claimNext(1001, LEASE, "me")).toBeUndefined();
      await store.complete(claimed.id, 1500, { frontMessageUid: "u1" });
      expect(await store.get(claimed.id)).toMatchObject({
        state: "done",
        result: { frontMessageUid: "u1" },
        leaseUntil: null,
        leaseOwner: null,
        updatedAt: 1500,
      });
      expect(await store.summary()).toEqual({
        pending: 0,
        running: 0,
        done: 1,
        dead: 0,
        dropped: 0,
        oldestPendingAt: null,
      });
    });

    it("fail → retry later (not before its time) → dead letter with the reason", async () => {
      await store.enqueue(job(1), 1000);
      const first = (await store.claimNext(1000, LEASE, "me"))!;
      await store.retryLater(first.id, 1100, 5000, "Front answered 503");
      expect(await store.claimNext(4999, LEASE, "me")).toBeUndefined();
      expect(await store.nextWakeAt()).toBe(5000);
      const second = (await store.claimNext(5000, LEASE, "me"))!;
      expect(second.attempts).toBe(2);
      expect(second.lastError).toBe("Front answered 503");
      await store.deadLetter(second.id, 5100, "Front answered 400: bad body");
      expect(await store.get(second.id)).toMatchObject({
        state: "dead",
        lastError: "Front answered 400: bad body",
      });
      expect(await store.claimNext(1e12, LEASE, "me")).toBeUndefined();
      expect(await store.list({ state: "dead" })).toHaveLength(1);
      expect(await store.nextWakeAt()).toBeUndefined();
    });

    it("keeps one order key in order: a later job waits while an earlier one is retrying", async () => {
      await store.enqueue(job(1, "in:alice"), 1000);
      await store.enqueue(job(2, "in:alice"), 1001);
      await store.enqueue(job(3, "in:bob"), 1002);
      const a1 = (await store.claimNext(1000, LEASE, "me"))!;
      expect(a1.payload).toEqual({ n: 1 });
      await store.retryLater(a1.id, 1010, 9000, "429");
      // alice's second message must not overtake her first; bob is independent.
      const next = (await store.claimNext(2000, LEASE, "me"))!;
      expect(next.payload).toEqual({ n: 3 });
      expect(await store.claimNext(2000, LEASE, "me")).toBeUndefined();
      expect((await store.claimNext(9000, LEASE, "me"))!.payload).toEqual({ n: 1 });
    });

    it("a dead letter does not block the customer's next message", async () => {
      await store.enqueue(job(1), 1000);
      await store.enqueue(job(2), 1001);
      await store.deadLetter((await store.claimNext(1000, LEASE, "me"))!.id, 1002, "400");
      expect((await store.claimNext(1003, LEASE, "me"))!.payload).toEqual({ n: 2 });
    });

    it("hands back a job whose lease expired (its worker crashed)", async () => {
      await store.enqueue(job(1), 1000);
      const claimed = (await store.claimNext(1000, LEASE, "me"))!;
      expect(await store.claimNext(1000 + LEASE - 1, LEASE, "other")).toBeUndefined();
      expect(await store.nextWakeAt()).toBe(1000 + LEASE);
      const reclaimed = (await store.claimNext(1000 + LEASE, LEASE, "other"))!;
      expect(reclaimed.id).toBe(claimed.id);
      expect(reclaimed.leaseOwner).toBe("other");
      // The attempt the crash cut off does not count.
      expect(reclaimed.attempts).toBe(1);
    });

    it("does not count attempts cut off by a crash, an uncounted wait, and keeps an attempt in doubt", async () => {
      const { job: queued } = await store.enqueue(job(1), 1000);
      const first = (await store.claimNext(1000, LEASE, "host:111"))!;
      await store.startAttempt(first.id, 1001);
      expect(await store.releaseLeases("host:111", 1002)).toBe(1);
      const again = (await store.claimNext(1002, LEASE, "me"))!;
      expect(again).toMatchObject({ id: queued.id, attempts: 1, attemptStartedAt: 1001 });
      await store.retryLater(again.id, 1003, 1004, "waiting", { uncounted: true, inDoubt: true });
      const third = (await store.claimNext(1004, LEASE, "me"))!;
      expect(third).toMatchObject({ attempts: 1, attemptStartedAt: 1001 });
      await store.retryLater(third.id, 1005, 1006, "Twilio answered 400");
      const fourth = (await store.claimNext(1006, LEASE, "me"))!;
      expect(fourth).toMatchObject({ attempts: 2, attemptStartedAt: null });
    });

    it("keeps status callbacks of an unknown sid until it is learned", async () => {
      await store.keepEarlyStatus("SM1", { status: "sent" }, 1000);
      await store.keepEarlyStatus("SM1", { status: "undelivered", errorCode: 30003 }, 1001);
      await store.keepEarlyStatus("SM1", { status: "sent" }, 1002);
      expect(await store.takeEarlyStatuses("SM1")).toEqual([
        { status: "sent" },
        { status: "undelivered", errorCode: 30003 },
      ]);
      expect(await store.takeEarlyStatuses("SM1")).toEqual([]);
    });

    it("releases the leases of an owner that died, at once", async () => {
      await store.enqueue(job(1), 1000);
      await store.enqueue(job(2, "in:other"), 1000);
      await store.claimNext(1000, LEASE, "host:111");
      await store.claimNext(1000, LEASE, "host:222");
      expect((await store.leaseOwners()).sort()).toEqual(["host:111", "host:222"]);
      expect(await store.releaseLeases("host:111", 2000)).toBe(1);
      const resumed = (await store.claimNext(2000, LEASE, "host:333"))!;
      expect(resumed.payload).toEqual({ n: 1 });
      expect(resumed.leaseOwner).toBe("host:333");
    });

    it("claims at enqueue for a synchronous send, unless an older job of the key is unfinished", async () => {
      const first = await store.enqueue(
        { ...job(1, "out:bob"), claimFor: { ms: 5000, owner: "me" } },
        1000,
      );
      expect(first.job).toMatchObject({
        state: "running",
        leaseUntil: 6000,
        leaseOwner: "me",
        attempts: 1,
      });
      const second = await store.enqueue(
        { ...job(2, "out:bob"), claimFor: { ms: 5000, owner: "me" } },
        1001,
      );
      expect(second.job.state).toBe("pending");
      const repeat = await store.enqueue(
        { ...job(1, "out:bob"), claimFor: { ms: 5000, owner: "me" } },
        1002,
      );
      expect(repeat).toMatchObject({ created: false, job: { id: first.job.id } });
    });

    it("operator actions: retry now, retry every dead letter, drop", async () => {
      const a = (await store.enqueue(job(1, "k1"), 1000)).job;
      const b = (await store.enqueue(job(2, "k2"), 1000)).job;
      const c = (await store.enqueue(job(3, "k3"), 1000)).job;
      for (const j of [a, b, c]) {
        await store.claimNext(1000, LEASE, "me");
        await store.deadLetter(j.id, 1001, "400");
      }
      expect(await store.retryNow(a.id, 2000)).toBe(true);
      expect(await store.get(a.id)).toMatchObject({ state: "pending", nextAttemptAt: 2000 });
      expect(await store.drop(b.id, 2000)).toBe(true);
      expect(await store.drop(b.id, 2000)).toBe(false);
      expect(await store.retryNow(b.id, 2000)).toBe(false);
      expect(await store.retryAllDead(3000)).toBe(1);
      expect(await store.summary()).toMatchObject({ pending: 2, dead: 0, dropped: 1 });
      // A dropped job's key stays: the message is never delivered.
      expect((await store.enqueue(job(2, "k2"), 4000)).created).toBe(false);
      expect((await store.list({})).map((j) => j.id)).toEqual([c.id, b.id, a.id]);
      expect(await store.list({ limit: 1 })).toHaveLength(1);
    });

    it("links Twilio SIDs to Front messages, merging later facts", async () => {
      const base = {
        twilioSid: "SM1",
        route: "r",
        direction: "outbound" as const,
        customer: "+14155550123",
      };
      await store.linkMessage(
        { ...base, frontMessageId: "msg_1", frontConversationId: "cnv_1", status: "queued" },
        1,
      );
      await store.linkMessage({ ...base, status: "failed", errorCode: 30003 }, 2);
      expect(await store.findMessage("SM1")).toEqual({
        ...base,
        frontMessageId: "msg_1",
        frontConversationId: "cnv_1",
        status: "failed",
        errorCode: 30003,
      });
      expect(await store.findMessage("SM2")).toBeUndefined();
      await store.linkMessage(
        { ...base, twilioSid: "SM3", direction: "inbound", frontMessageUid: "uid_3" },
        3,
      );
      await store.linkMessage({ ...base, twilioSid: "SM4" }, 4);
      expect((await store.lastFrontLink("+14155550123", "r"))?.twilioSid).toBe("SM3");
      expect(await store.lastFrontLink("+14155550123", "other")).toBeUndefined();
    });

    it("opt-outs, caller names and meta", async () => {
      expect(await store.isOptedOut("+1", "+2")).toBe(false);
      await store.setOptedOut("+1", "+2", true, 1);
      await store.setOptedOut("+1", "+2", true, 2);
      expect(await store.isOptedOut("+1", "+2")).toBe(true);
      expect(await store.isOptedOut("+1", "+3")).toBe(false);
      await store.setOptedOut("+1", "+2", false, 3);
      expect(await store.isOptedOut("+1", "+2")).toBe(false);

      expect(await store.getCallerName("+1")).toBeUndefined();
      await store.setCallerName("+1", null, 10);
      expect(await store.getCallerName("+1")).toEqual({ name: null, lookedUpAt: 10 });
      await store.setCallerName("+1", "ADA L", 20);
      expect(await store.getCallerName("+1")).toEqual({ name: "ADA L", lookedUpAt: 20 });

      expect(await store.getMeta("k")).toBeUndefined();
      await store.setMeta("k", "v1");
      await store.setMeta("k", "v2");
      expect(await store.getMeta("k")).toBe("v2");
      await store.setMeta("k", undefined);
      expect(await store.getMeta("k")).toBeUndefined();
    });

    it("keeps media bytes exactly and removes expired copies", async () => {
      const bytes = Buffer.from([0, 1, 2, 255, 254, 0, 10]);
      await store.putMedia({
        id: "m1",
        jobKey: "out:1",
        contentType: "image/png",
        bytes,
        expiresAt: 100,
      });
      await store.putMedia({
        id: "m2",
        jobKey: "out:2",
        contentType: "text/plain",
        bytes,
        expiresAt: 300,
      });
      const media = (await store.getMedia("m1"))!;
      expect(Buffer.isBuffer(media.bytes)).toBe(true);
      expect(media).toEqual({
        id: "m1",
        jobKey: "out:1",
        contentType: "image/png",
        bytes,
        expiresAt: 100,
      });
      expect(await store.deleteExpiredMedia(200)).toBe(1);
      expect(await store.getMedia("m1")).toBeUndefined();
      expect(await store.getMedia("m2")).toBeDefined();
    });

    it("prunes finished jobs, payloads and links in bounded batches", async () => {
      for (let n = 0; n < 5; n++) {
        await store.enqueue(job(n, `k${n}`), 1000);
        const claimed = (await store.claimNext(1000, LEASE, "me"))!;
        await store.complete(claimed.id, 1000 + n, { n });
        await store.linkMessage(
          { twilioSid: `SM${n}`, route: "r", direction: "inbound", customer: "+1" },
          1000 + n,
        );
      }
      await store.enqueue(job("open", "k-open"), 1000);
      const first = await store.prune({ payloadsBefore: 5000, keysBefore: 1003, limit: 2 });
      expect(first).toEqual({ jobs: 2, payloads: 2, links: 2 });
      const second = await store.prune({ payloadsBefore: 5000, keysBefore: 1003, limit: 2 });
      expect(second).toEqual({ jobs: 1, payloads: 1, links: 1 });
      expect(await store.summary()).toMatchObject({ done: 2, pending: 1 });
      // An unfinished job is never pruned, and its payload stays.
      expect((await store.getByKey("in:SMopen"))!.payload).toEqual({ n: "open" });
      expect((await store.getByKey("in:SM4"))!.payload).toBeNull();
    });

    it("summary counts what is in the store, and the oldest unfinished job", async () => {
      await store.enqueue(job(1, "k1"), 1000);
      await store.enqueue(job(2, "k2"), 2000);
      await store.claimNext(5000, LEASE, "me");
      expect(await store.summary()).toEqual({
        pending: 1,
        running: 1,
        done: 0,
        dead: 0,
        dropped: 0,
        oldestPendingAt: 1000,
      });
    });

    it("records instances' heartbeats and lists the live ones with their leases", async () => {
      const info = { owner: "h1:1", host: "h1", pid: 1, version: "0.1.0", startedAt: 100 };
      await store.heartbeat(info, 1000);
      await store.heartbeat({ ...info, owner: "h2:2", host: "h2", pid: 2, startedAt: 200 }, 1500);
      await store.heartbeat(info, 2000);
      await store.enqueue(job(1), 2000);
      await store.claimNext(2000, LEASE, "h1:1");
      expect(await store.instances(1800)).toEqual([{ ...info, lastSeen: 2000, leases: 1 }]);
      expect((await store.instances(0)).map((i) => [i.owner, i.leases])).toEqual([
        ["h1:1", 1],
        ["h2:2", 0],
      ]);
    });

    it("never claims a job while an older one of its order key is unfinished, and counts exactly", async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.record({ op: fc.constant("enqueue" as const), key: fc.nat(2) }),
              fc.record({ op: fc.constant("claim" as const) }),
              fc.record({
                op: fc.constantFrom(
                  "complete" as const,
                  "retry" as const,
                  "dead" as const,
                  "crash" as const,
                ),
                pick: fc.nat(),
              }),
              fc.record({
                op: fc.constantFrom("retryNow" as const, "drop" as const),
                pick: fc.nat(),
              }),
            ),
            { maxLength: 25 },
          ),
          async (steps) => {
            const prefix = `r${run++}`;
            let n = 0;
            for (const step of steps) {
              const mine = (await store.list({ limit: 10_000 })).filter((j) =>
                j.orderKey.startsWith(`${prefix}:`),
              );
              const running = mine.filter((j) => j.state === "running");
              if (step.op === "enqueue") {
                await store.enqueue(job(`${prefix}-${n++}`, `${prefix}:${step.key}`), 1000);
              } else if (step.op === "claim") {
                const claimed = await store.claimNext(1000, LEASE, "me");
                if (claimed) {
                  const all = await store.list({ limit: 10_000 });
                  const elders = all.filter(
                    (j) =>
                      j.orderKey === claimed.orderKey &&
                      j.id < claimed.id &&
                      (j.state === "pending" || j.state === "running"),
                  );
                  expect(elders).toEqual([]);
                }
              } else if (step.op === "retryNow" || step.op === "drop") {
                const target = mine[step.pick % Math.max(1, mine.length)];
                if (target) await store[step.op](target.id, 1000);
              } else {
                const target = running[step.pick % Math.max(1, running.length)];
                if (!target) continue;
                if (step.op === "complete") await store.complete(target.id, 1000);
                else if (step.op === "retry") await store.retryLater(target.id, 1000, 1000, "e");
                else if (step.op === "dead") await store.deadLetter(target.id, 1000, "e");
                else await store.releaseLeases("me", 1000);
              }
            }
            const all = await store.list({ limit: 10_000 });
            const summary = await store.summary();
            for (const state of ["pending", "running", "done", "dead", "dropped"] as const)
              expect(summary[state]).toBe(all.filter((j) => j.state === state).length);
            expect(all.every((j) => j.attempts >= 0)).toBe(true);
          },
        ),
        { numRuns: 20 },
      );
    });
  });
}
