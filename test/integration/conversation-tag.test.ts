import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  conversationTagApi,
  createConversationTagHandler,
  enqueueConversationTag,
} from "../../src/bridge/conversation-tag.js";
import { createFrontClient } from "../../src/clients/front.js";
import { systemClock } from "../../src/clock.js";
import { silentLogger } from "../../src/log.js";
import { startFrontStandIn, type FrontStandIn } from "../../src/stand-ins/front-stand-in.js";
import { createSqliteStore } from "../../src/store/sqlite-store.js";
import type { Job, Store } from "../../src/store/store.js";
import { contractValidators } from "../helpers/contract.js";

const ROUTE = "+14155550100|cha_sms";

describe("tagging new SMS conversations (tag jobs)", () => {
  let front: FrontStandIn;
  let store: Store;
  beforeEach(async () => {
    front = await startFrontStandIn({
      validate: (await contractValidators()).front,
      channel: { id: "cha_sms", inboxId: "inb_sms" },
      tags: { tags: ["vip"] },
    });
    store = createSqliteStore(new Database(":memory:"));
  });
  afterEach(async () => {
    expect(front.violations).toEqual([]);
    await front.close();
    await store.close();
  });

  const core = () => createFrontClient({ token: front.token, baseUrl: front.url });
  const handler = () =>
    createConversationTagHandler({
      api: conversationTagApi({ apiToken: front.token, baseUrl: front.url }, core()),
      store,
      clock: systemClock,
      logger: silentLogger,
    });
  async function customerMessage(from: string) {
    const { message_uid } = await core().postIncomingMessage("cha_sms", {
      sender: { handle: from },
      body: "Hello",
      metadata: { thread_ref: `sms:${from}:+14155550100` },
    });
    return message_uid;
  }
  async function job(uid: string, tag: string): Promise<Job> {
    await enqueueConversationTag({ store, clock: systemClock, wake: () => undefined }, ROUTE, {
      frontMessageUid: uid,
      tag,
    });
    return (await store.getByKey(`tag:${uid}`))!;
  }

  it("tags a conversation once, on its first message, creating the tag when missing", async () => {
    const tag = handler();
    const first = await tag(await job(await customerMessage("+14155550123"), "sms-support"));
    expect(first).toMatchObject({ kind: "done", result: { tagged: true } });
    expect(front.tags.tags.map((t) => t.name)).toContain("sms-support");
    const second = await tag(await job(await customerMessage("+14155550123"), "sms-support"));
    expect(second).toMatchObject({ kind: "done", result: { tagged: false } });
    await tag(await job(await customerMessage("+14155550999"), "sms-support"));
    expect(front.tags.conversationTags).toHaveLength(2);
    const created = front.tags.tags.find((t) => t.name === "sms-support")!;
    expect(front.tags.conversationTags.every((c) => c.tagIds[0] === created.id)).toBe(true);
    expect(front.requests.filter((r) => r.method === "POST" && r.path === "/tags")).toHaveLength(1);
  });

  it("queues one job per message, and waits while Front imports the message", async () => {
    const uid = await customerMessage("+14155550123");
    await job(uid, "vip");
    expect(
      await enqueueConversationTag({ store, clock: systemClock, wake: () => undefined }, ROUTE, {
        frontMessageUid: uid,
        tag: "vip",
      }),
    ).toBe(false);
    front.fail((r) => r.path.startsWith("/messages/"), {
      status: 404,
      body: { _error: { status: 404, title: "Not found", message: "Unknown message" } },
    });
    const tag = handler();
    expect(await tag((await store.getByKey(`tag:${uid}`))!)).toMatchObject({
      kind: "retry",
      retryAfterMs: 2_000,
    });
    expect(await tag((await store.getByKey(`tag:${uid}`))!)).toMatchObject({ kind: "done" });
    expect(front.tags.conversationTags).toHaveLength(1);
  });

  it("gives up with the scopes to add on a 403, and without a Core API token", async () => {
    const uid = await customerMessage("+14155550123");
    front.fail((r) => r.path.endsWith("/tags"), {
      status: 403,
      body: { _error: { status: 403, title: "Forbidden", message: "Missing scope" } },
    });
    expect(await handler()(await job(uid, "vip"))).toMatchObject({
      kind: "dead",
      error: expect.stringMatching(/conversations:write/) as unknown,
    });
    const noToken = createConversationTagHandler({
      api: conversationTagApi({ baseUrl: front.url }, core()),
      store,
      clock: systemClock,
      logger: silentLogger,
    });
    expect(await noToken(await job(uid, "vip"))).toMatchObject({
      kind: "dead",
      error: expect.stringMatching(/FRONT_API_TOKEN/) as unknown,
    });
  });
});
