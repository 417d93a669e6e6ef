import { matchPath } from "../http/path-match.js";
import { randomBytes } from "node:crypto";
import { type RecordedRequest, type Reply } from "./stand-in.js";

type ErrorReply = (status: number, title: string, message: string) => Reply;

export interface TagsStandInState {
  tags: { id: string; name: string; description: string | null }[];
  /** The company's rules: Front's API shows each action as a sentence. */
  rules: { id: string; name: string; actions: string[]; is_private: boolean }[];
  /** POST /conversations/{id}/tags, in order. */
  readonly conversationTags: { conversationId: string; tagIds: string[] }[];
}

export function createTagsState(
  options: { tags?: string[]; rules?: { name: string; actions: string[] }[] } = {},
): TagsStandInState {
  return {
    tags: (options.tags ?? []).map((name) => ({ id: tagId(), name, description: null })),
    rules: (options.rules ?? []).map((rule, i) => ({
      id: `rul_${i + 1}`,
      ...rule,
      is_private: false,
    })),
    conversationTags: [],
  };
}

const tagId = () => `tag_${randomBytes(3).toString("hex")}`;

/** Tags (list, create), conversation tags (add) and rules (list, read-only), as Front answers them. */
export function tagsRoute(
  request: RecordedRequest,
  state: TagsStandInState,
  context: { base: string; error: ErrorReply },
): Reply | undefined {
  const { method, path } = request;
  const { base, error } = context;
  const tagJson = (tag: TagsStandInState["tags"][number]) => ({
    _links: {
      self: `${base}/tags/${tag.id}`,
      related: { conversations: `${base}/tags/${tag.id}/conversations` },
    },
    id: tag.id,
    name: tag.name,
    description: tag.description,
    highlight: null,
    is_private: false,
    is_visible_in_conversation_lists: false,
  });
  const page = (results: unknown[]) => ({
    status: 200,
    body: { _pagination: { next: null }, _links: { self: `${base}${path}` }, _results: results },
  });
  if (path === "/tags" && method === "GET") return page(state.tags.map(tagJson));
  if (path === "/tags" && method === "POST") {
    const body = request.body as { name?: string; description?: string };
    if (!body?.name) return error(400, "Bad request", "Body did not satisfy requirements");
    if (state.tags.some((t) => t.name === body.name))
      return error(409, "Conflict", `A tag named ${body.name} already exists`);
    const tag = { id: tagId(), name: body.name, description: body.description ?? null };
    state.tags.push(tag);
    return { status: 201, body: tagJson(tag) };
  }
  if (path === "/rules" && method === "GET")
    return page(
      state.rules.map((rule) => ({
        _links: { self: `${base}/rules/${rule.id}`, related: { owner: null } },
        ...rule,
      })),
    );
  const params = matchPath("/conversations/:id/tags", path);
  if (params && method === "POST") {
    const tagIds = (request.body as { tag_ids?: string[] })?.tag_ids ?? [];
    const unknown = tagIds.find((id) => !state.tags.some((t) => t.id === id));
    if (unknown) return error(404, "Not found", `Unknown tag ID ${unknown}`);
    state.conversationTags.push({ conversationId: params.id!, tagIds });
    return { status: 204 };
  }
  return undefined;
}
