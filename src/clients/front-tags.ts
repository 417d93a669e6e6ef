import type { RateLimitInfo } from "./front-errors.js";
import { createFrontRequester } from "./front-http.js";
import { listAll } from "./front-analytics.js";

export interface FrontTag {
  id: string;
  name: string;
}

/** Front's rules are read-only in the API; each action is a sentence ("Tag with X"). */
export interface FrontRule {
  id: string;
  name: string;
  actions: string[];
  is_private: boolean;
}

export type FrontTagsClient = ReturnType<typeof createFrontTagsClient>;

/** Tags (tags:read/write), conversation tags (conversations:write) and rules (rules:read). */
export function createFrontTagsClient(options: {
  token: string;
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  onRateLimit?: (rate: RateLimitInfo) => void;
}) {
  const { request, baseUrl } = createFrontRequester({ ...options, bearer: () => options.token });
  return {
    listTags: () => listAll<FrontTag>(request, baseUrl, "/tags?limit=100"),
    createTag: (name: string, description: string) =>
      request<FrontTag>("POST", "/tags", { name, description }),
    addConversationTag: (conversationId: string, tagId: string) =>
      request<void>("POST", `/conversations/${encodeURIComponent(conversationId)}/tags`, {
        tag_ids: [tagId],
      }),
    listRules: () => listAll<FrontRule>(request, baseUrl, "/rules"),
  };
}
