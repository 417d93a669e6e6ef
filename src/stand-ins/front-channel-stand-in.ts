import { matchPath } from "../http/path-match.js";
import { createHash, randomBytes } from "node:crypto";
import { verifyHs256 } from "../clients/jwt.js";
import { type RecordedRequest, type Reply, type UploadedFile } from "./stand-in.js";

/** What the Channel API side of the Front stand-in remembers. */
export interface ChannelApiState {
  uid: string;
  secret: string;
  /** The channel Front created when the app was connected; sent in the authorization event. */
  channelId: string;
  /** Claims of every JWT the bridge presented, in order. */
  tokens: Record<string, unknown>[];
  inbound: {
    channelId: string;
    messageUid: string;
    message: Record<string, unknown>;
    attachments: UploadedFile[];
  }[];
  statuses: { channelId: string; conversation: string; message: string; body: unknown }[];
  channelStatus: string[];
}

export function createChannelApiState(app: {
  uid: string;
  secret: string;
  channelId?: string;
}): ChannelApiState {
  return {
    uid: app.uid,
    secret: app.secret,
    channelId: app.channelId ?? "cha_app",
    tokens: [],
    inbound: [],
    statuses: [],
    channelStatus: [],
  };
}

type ErrorReply = (status: number, title: string, message: string) => Reply;

/**
 * Front's Channel API: a JWT signed with the app secret (iss = App UID, sub = channel id, exp at
 * most 30 s ahead) on every call; inbound messages, message status, channel status.
 */
export function channelApiRoute(
  request: RecordedRequest,
  state: ChannelApiState,
  error: ErrorReply,
): Reply | undefined {
  const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
  const claims = bearer ? verifyHs256(bearer, state.secret) : undefined;
  if (!claims) return undefined;
  state.tokens.push(claims);
  const now = Date.now() / 1000;
  const exp = Number(claims.exp);
  if (
    claims.iss !== state.uid ||
    typeof claims.jti !== "string" ||
    !(exp > now && exp <= now + 31)
  ) {
    return error(401, "Unauthenticated", "JSON Web Token error");
  }
  const { method, path } = request;
  const read = claims.sub === state.channelId ? readRoute(request, state, error) : undefined;
  if (read) return read;
  const channel = /^\/channels\/([^/]+)/.exec(path)?.[1];
  if (
    channel === undefined ||
    decodeURIComponent(channel) !== claims.sub ||
    claims.sub !== state.channelId
  ) {
    return error(403, "Forbidden", "The token does not grant access to this channel");
  }
  if (method === "POST" && matchPath("/channels/:id/inbound_messages", path)) {
    const message = request.body as Record<string, unknown>;
    const messageUid = randomBytes(8).toString("hex");
    state.inbound.push({
      channelId: state.channelId,
      messageUid,
      message,
      attachments: request.files ?? [],
    });
    return { status: 202, body: { status: "accepted", message_uid: messageUid } };
  }
  const status = matchPath(
    "/channels/:id/conversations/:conversation/messages/:message/status",
    path,
  );
  if (method === "PUT" && status) {
    state.statuses.push({
      channelId: state.channelId,
      conversation: status.conversation!,
      message: status.message!,
      body: request.body,
    });
    return { status: 204 };
  }
  if (method === "PATCH" && matchPath("/channels/:id", path)) {
    state.channelStatus.push(String((request.body as { status?: unknown } | undefined)?.status));
    return { status: 204 };
  }
  return error(404, "Not found", `No Channel API route ${method} ${path}`);
}

/** The JWT also reads the channel's own messages and conversations (by external_conversation_id). */
function readRoute(
  request: RecordedRequest,
  state: ChannelApiState,
  error: ErrorReply,
): Reply | undefined {
  if (request.method !== "GET") return undefined;
  const conversationOf = (m: ChannelApiState["inbound"][number]) => {
    const metadata = m.message.metadata as { external_conversation_id?: string } | undefined;
    const key = metadata?.external_conversation_id ?? m.messageUid;
    return `cnv_${createHash("sha256").update(key).digest("hex").slice(0, 10)}`;
  };
  const json = (m: ChannelApiState["inbound"][number]) => ({
    _links: { related: { conversation: `https://stand-in/conversations/${conversationOf(m)}` } },
    id: `msg_${m.messageUid}`,
    message_uid: m.messageUid,
    type: "custom",
    is_inbound: true,
    body: m.message.body,
    metadata: m.message.metadata ?? {},
  });
  const message = matchPath("/messages/:id", request.path);
  if (message) {
    const uid = message.id!.replace(/^alt:uid:/, "").replace(/^msg_/, "");
    const found = state.inbound.find((m) => m.messageUid === uid);
    return found ? { status: 200, body: json(found) } : error(404, "Not found", "Unknown message");
  }
  const listing = matchPath("/conversations/:id/messages", request.path);
  if (listing) {
    const limit = Number(request.query.limit ?? 50);
    const messages = state.inbound.filter((m) => conversationOf(m) === listing.id);
    return {
      status: 200,
      body: { _pagination: { next: null }, _results: messages.reverse().slice(0, limit).map(json) },
    };
  }
  return undefined;
}
