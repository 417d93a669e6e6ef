import type { FrontClientOptions } from "./front.js";
import { createFrontRequester, listAll } from "./front-http.js";

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
export function createFrontTagsClient(options: FrontClientOptions) {
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
