import Database from "better-sqlite3";
import { beforeEach, describe, expect, it } from "vitest";
import { createSqliteStore } from "../../src/store/sqlite-store.js";
import type { NewJob, Store } from "../../src/store/store.js";

const job = (n: number, orderKey = "in:a"): NewJob => ({
  kind: "inbound",
  dedupeKey: `in:SM${n}`,
  route: "+14155550100|cha_1",
  orderKey,
  payload: { n },
});

describe("SQLite store state machine", () => {
  let store: Store;
  const LEASE = 60_000;

  beforeEach(() => {
    store = createSqliteStore(new Database(":memory:"));
  });

  it("dedupes on the key: the second enqueue returns the first job", async () => {
    const first = await store.enqueue(job(1), 1000);
    const again = await store.enqueue({ ...job(1), payload: { n: "other" } }, 2000);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.job.id).toBe(first.job.id);
    expect(again.job.payload).toEqual({ n: 1 });
    expect((await store.summary()).pending).toBe(1);
  });

  it("enqueue → claim → complete", async () => {
    const { job: queued } = await store.enqueue(job(1), 1000);
    const claimed = (await store.claimNext(1000, LEASE, "me"))!;
    expect(claimed).toMatchObject({
      id: queued.id,
      state: "running",
      attempts: 1,
      leaseUntil: 1000 + LEASE,
    });
    expect(await store.claimNext(1001, LEASE, "me")).toBeUndefined();
    await store.complete(claimed.id, 1500, { frontMessageUid: "u1" });
    expect(await store.get(claimed.id)).toMatchObject({
      state: "done",
      result: { frontMessageUid: "u1" },
      leaseUntil: null,
    });
    expect(await store.summary()).toMatchObject({
      pending: 0,
      running: 0,
      done: 1,
      dead: 0,
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
    expect(await store.claimNext(1000 + LEASE - 1, LEASE, "me")).toBeUndefined();
    const reclaimed = (await store.claimNext(1000 + LEASE, LEASE, "me"))!;
    expect(reclaimed.id).toBe(claimed.id);
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
    expect(first.job).toMatchObject({ state: "running", leaseUntil: 6000 });
    const second = await store.enqueue(
      { ...job(2, "out:bob"), claimFor: { ms: 5000, owner: "me" } },
      1001,
    );
    expect(second.job.state).toBe("pending");
  });

  it("links Twilio SIDs to Front messages, merging later facts", async () => {
    await store.linkMessage(
      {
        twilioSid: "SM1",
        route: "r",
        direction: "outbound",
        customer: "+14155550123",
        frontMessageId: "msg_1",
        frontConversationId: "cnv_1",
        status: "queued",
      },
      1,
    );
    await store.linkMessage(
      {
        twilioSid: "SM1",
        route: "r",
        direction: "outbound",
        customer: "+14155550123",
        status: "failed",
        errorCode: 30003,
      },
      2,
    );
    expect(await store.findMessage("SM1")).toEqual({
      twilioSid: "SM1",
      route: "r",
      direction: "outbound",
      customer: "+14155550123",
      frontMessageId: "msg_1",
      frontConversationId: "cnv_1",
      status: "failed",
      errorCode: 30003,
    });
    expect(await store.findMessage("SM2")).toBeUndefined();
  });
});
