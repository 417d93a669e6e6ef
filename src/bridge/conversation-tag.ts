import type { FrontClient } from "../clients/front.js";
import { FrontApiError } from "../clients/front-errors.js";
import { createFrontTagsClient } from "../clients/front-tags.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import type { Job, Store } from "../store/store.js";
import { classifyFailure, type Outcome } from "../worker/outcome.js";
import type { Pacer } from "../worker/pacer.js";

/** What tagging needs of Front: the message's conversation, the tag's id, the tagging itself. */
export interface ConversationTagApi {
  /** `alt:uid:<message_uid>` answers 404 until Front has imported the message. */
  getMessage(idOrAlias: string): Promise<{ _links?: { related?: { conversation?: string } } }>;
  listTags(): Promise<{ id: string; name: string }[]>;
  createTag(name: string, description: string): Promise<{ id: string; name: string }>;
  addConversationTag(conversationId: string, tagId: string): Promise<void>;
}

export interface ConversationTagPayload {
  /** The message_uid Front gave the customer's message (incoming_messages answers it). */
  frontMessageUid: string;
  tag: string;
}

/** How long Front may take to import a message before its conversation can be looked up. */
const IMPORT_WAIT_MS = 2_000;
const metaKey = (conversationId: string) => `conversation-tag:${conversationId}`;

/**
 * Queues the tagging of the conversation a customer message landed in, after the message is
 * delivered: a job of its own, so a Front hiccup is retried by the worker without delivering the
 * message again. Once per message (dedupe key); the handler tags each conversation once.
 */
export async function enqueueConversationTag(
  deps: { store: Store; clock: Clock; wake: () => void },
  route: string,
  payload: ConversationTagPayload,
): Promise<boolean> {
  const { created } = await deps.store.enqueue(
    {
      kind: "tag",
      dedupeKey: `tag:${payload.frontMessageUid}`,
      route,
      orderKey: `tag:${route}`,
      payload,
    },
    deps.clock.now(),
  );
  if (created) deps.wake();
  return created;
}

/**
 * The worker's handler for tag jobs: finds the message's conversation (waiting while Front imports
 * it), and tags it unless this conversation was tagged before. A conversation is "new" to the
 * bridge the first time one of its messages is seen; `conversation-tag:<id>` in the store's meta
 * remembers it.
 */
export function createConversationTagHandler(deps: {
  api: ConversationTagApi | undefined;
  store: Pick<Store, "getMeta" | "setMeta">;
  clock: Clock;
  logger: Logger;
}) {
  const tagIds = new Map<string, string>();

  async function tagIdOf(api: ConversationTagApi, name: string): Promise<string> {
    const known = tagIds.get(name);
    if (known) return known;
    const found = (await api.listTags()).find((tag) => tag.name === name);
    const id =
      found?.id ?? (await api.createTag(name, "Added by front-twilio to new SMS conversations")).id;
    tagIds.set(name, id);
    return id;
  }

  return async (job: Job): Promise<Outcome> => {
    const { frontMessageUid, tag } = job.payload as ConversationTagPayload;
    if (!deps.api)
      return {
        kind: "dead",
        error: "tagging conversations needs a Front API token (front.apiToken, FRONT_API_TOKEN)",
      };
    try {
      const message = await deps.api.getMessage(`alt:uid:${frontMessageUid}`);
      const link = message._links?.related?.conversation;
      const conversationId = link?.split("/").pop();
      if (!conversationId)
        return { kind: "dead", error: `Front's message ${frontMessageUid} names no conversation` };
      if (await deps.store.getMeta(metaKey(conversationId)))
        return { kind: "done", result: { conversationId, tagged: false } };
      await deps.api.addConversationTag(conversationId, await tagIdOf(deps.api, tag));
      await deps.store.setMeta(metaKey(conversationId), String(deps.clock.now()));
      deps.logger.info(`<-- front tagged ${conversationId} ${tag}`);
      return { kind: "done", result: { conversationId, tagged: true } };
    } catch (error) {
      // Not imported yet: the conversation is looked up again shortly (not a failure).
      if (error instanceof FrontApiError && error.status === 404 && job.attempts < 10)
        return {
          kind: "retry",
          error: "Front has not imported the message yet",
          retryAfterMs: IMPORT_WAIT_MS,
        };
      if (error instanceof FrontApiError && error.status === 403)
        return {
          kind: "dead",
          error: `${error.message}: the API token needs the tags:read, tags:write and conversations:write scopes`,
        };
      return classifyFailure(error);
    }
  };
}

/**
 * The Core API calls tagging needs, when the bridge has a Core API token (custom channels always
 * do), paced with the bridge's other Front calls when given its pacer.
 */
export function conversationTagApi(
  settings: { apiToken?: string; baseUrl: string },
  core: Pick<FrontClient, "getMessage"> | undefined,
  options: { fetch?: typeof globalThis.fetch; pacer?: Pacer } = {},
): ConversationTagApi | undefined {
  if (!core || !settings.apiToken) return undefined;
  const { pacer } = options;
  const tags = createFrontTagsClient({
    token: settings.apiToken,
    baseUrl: settings.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(pacer ? { onRateLimit: pacer.observe } : {}),
  });
  const paced = async <T>(call: () => Promise<T>) => {
    await pacer?.acquire("tags");
    return call();
  };
  return {
    getMessage: (id) => paced(() => core.getMessage(id)),
    listTags: () => paced(() => tags.listTags()),
    createTag: (name, description) => paced(() => tags.createTag(name, description)),
    addConversationTag: (conversationId, tagId) =>
      paced(() => tags.addConversationTag(conversationId, tagId)),
  };
}
