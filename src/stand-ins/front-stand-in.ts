import { matchPath } from "../http/path-match.js";
import { createHash, randomBytes } from "node:crypto";
import { contactsRoute, type StandInContact } from "./front-contacts-stand-in.js";
import {
  analyticsRoute,
  createAnalyticsState,
  type AnalyticsStandInOptions,
  type AnalyticsStandInState,
} from "./front-analytics-stand-in.js";
import { createTagsState, tagsRoute, type TagsStandInState } from "./front-tags-stand-in.js";
import { createFileStore, type StandInAttachment } from "./front-files-stand-in.js";
import { createFrontRateLimits, type FrontRateLimitOptions } from "./front-rate-limits.js";
import {
  frontAppEvent,
  frontCustomMessage,
  send,
  signedFrontAppRequest,
  signedFrontRequest,
} from "../simulate/payloads.js";
import {
  channelApiRoute,
  createChannelApiState,
  type ChannelApiState,
} from "./front-channel-stand-in.js";
import {
  startStandIn,
  type RecordedRequest,
  type Reply,
  type StandIn,
  type UploadedFile,
  type Validator,
} from "./stand-in.js";

export interface FrontStandInOptions {
  token?: string;
  companyName?: string;
  channel?: { id: string; name?: string; inboxId?: string; webhookUrl?: string };
  /** The company's webhook signing secret, to sign agent messages as Front does. */
  webhookSecret?: string;
  /** A Front app with a channel feature: enables the Channel API and signed app events. */
  app?: { uid: string; secret: string; channelId?: string };
  validate?: Validator;
  /** Enforce Front's company and per-channel rate limits (otherwise every answer says 99 left). */
  rateLimits?: FrontRateLimitOptions;
  /** Analytics reports: how long they run, whether they fail, whether the token may read them. */
  analytics?: AnalyticsStandInOptions;
  /** The company's tags and rules at start. */
  tags?: Parameters<typeof createTagsState>[0];
}

export interface FrontStandIn extends StandIn {
  /** Requests refused by the enforced rate limits, when options.rateLimits is set. */
  readonly rateLimited: { company: number; burst: number };
  readonly token: string;
  readonly channels: Map<
    string,
    {
      id: string;
      name: string;
      type: string;
      is_valid: boolean;
      inboxId: string;
      settings: { webhook_url?: string };
    }
  >;
  /** Messages accepted on incoming_messages, in order. */
  readonly incoming: {
    channelId: string;
    messageUid: string;
    message: Record<string, unknown>;
    /** Files sent with the message (multipart), byte for byte. */
    attachments: UploadedFile[];
  }[];
  readonly comments: { conversationId: string; body: string }[];
  readonly analytics: AnalyticsStandInState;
  readonly tags: TagsStandInState;
  readonly contacts: StandInContact[];
  /** The Channel API side, when the stand-in plays a Front app (options.app). */
  readonly app: ChannelApiState | undefined;
  /** Connects the app's channel: the signed authorization event to the app's server URL; remembers the webhook_url. */
  authorize(serverUrl: string): Promise<{ status: number; body: unknown }>;
  /** A signed application channel event to the webhook URL the bridge returned at authorization. */
  sendAppEvent(
    type: string,
    payload: unknown,
    options?: {
      method?: "POST" | "DELETE";
      timestamp?: number;
      metadata?: unknown;
      secret?: string;
    },
  ): Promise<{ status: number; body: unknown }>;
  /** An attachment agents can send; its `url` needs the token (or a channel JWT) to download. */
  addAttachment(filename: string, contentType: string, bytes: Buffer): StandInAttachment;
  /** Posts an agent's message to the channel's webhook URL, signed as Front signs it. */
  sendAgentMessage(input: {
    channelId?: string;
    to: string | string[];
    text: string;
    attachments?: StandInAttachment[];
    conversationId?: string;
    messageId?: string;
  }): Promise<{ status: number; body: unknown }>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(4).toString("hex")}`;

/** Front's Core API (custom channels), as far as the bridge and `init` use it. */
export async function startFrontStandIn(options: FrontStandInOptions = {}): Promise<FrontStandIn> {
  const token = options.token ?? "front-stand-in-token";
  const channelDef = options.channel ?? { id: "cha_standin" };
  const channels: FrontStandIn["channels"] = new Map([
    [
      channelDef.id,
      {
        id: channelDef.id,
        name: channelDef.name ?? "SMS (stand-in)",
        type: "custom",
        is_valid: true,
        inboxId: channelDef.inboxId ?? "inb_standin",
        settings: channelDef.webhookUrl ? { webhook_url: channelDef.webhookUrl } : {},
      },
    ],
  ]);
  const incoming: FrontStandIn["incoming"] = [];
  const app = options.app ? createChannelApiState(options.app) : undefined;
  const contacts: FrontStandIn["contacts"] = [];
  const files = createFileStore({ token, ...(app ? { appSecret: app.secret } : {}) });
  const comments: FrontStandIn["comments"] = [];
  const analytics = createAnalyticsState(options.analytics);
  const tags = createTagsState(options.tags);
  const error = (status: number, title: string, message: string): Reply => ({
    status,
    body: { _error: { status, title, message } },
  });
  let base = "";
  const limits = options.rateLimits ? createFrontRateLimits(options.rateLimits) : undefined;
  let appWebhookUrl: string | undefined;

  const standIn = await startStandIn(
    (request: RecordedRequest): Reply => {
      const download = files.route(request, error);
      if (download) return download;
      const channelApi = app && channelApiRoute(request, app, error);
      if (!channelApi && request.headers.authorization !== `Bearer ${token}`)
        return error(401, "Unauthenticated", "JSON Web Token error");
      const admitted = limits?.admit(request);
      if (admitted && "reply" in admitted) return admitted.reply;
      const reply = channelApi ?? route(request);
      const reset = Math.ceil(Date.now() / 1000) + 60;
      // Without enforced limits, the headers announce a budget too large to hold anything back.
      return {
        ...reply,
        headers: {
          "x-ratelimit-limit": "100000",
          "x-ratelimit-remaining": "99999",
          "x-ratelimit-reset": String(reset),
          ...admitted?.headers,
          ...reply.headers,
        },
      };
    },
    options.validate ? { validate: options.validate } : {},
  );
  base = standIn.url;

  function channelJson(channel: FrontStandIn["channels"] extends Map<string, infer C> ? C : never) {
    return {
      _links: {
        self: `${base}/channels/${channel.id}`,
        related: {
          inbox: `${base}/inboxes/${channel.inboxId}`,
          owner: `${base}/teams/tim_standin`,
        },
      },
      id: channel.id,
      name: channel.name,
      address: channel.id,
      type: channel.type,
      send_as: channel.id,
      settings: channel.settings,
      is_private: false,
      is_valid: channel.is_valid,
    };
  }

  /** Custom messages thread on metadata.thread_ref (else on the sender), as Front threads them. */
  function conversationOf(m: FrontStandIn["incoming"][number]): string {
    const metadata = m.message.metadata as { thread_ref?: string } | undefined;
    const sender = m.message.sender as { handle?: string } | undefined;
    const key = metadata?.thread_ref ?? sender?.handle ?? m.messageUid;
    return `cnv_${createHash("sha256").update(key).digest("hex").slice(0, 10)}`;
  }

  function messageJson(m: FrontStandIn["incoming"][number]) {
    const messageId = `msg_${m.messageUid}`;
    return {
      _links: {
        self: `${base}/messages/${messageId}`,
        related: { conversation: `${base}/conversations/${conversationOf(m)}` },
      },
      id: messageId,
      message_uid: m.messageUid,
      type: "custom",
      is_inbound: true,
      created_at: Date.now() / 1000,
      body: m.message.body,
      recipients: [],
      metadata: m.message.metadata ?? {},
    };
  }

  function route(request: RecordedRequest): Reply {
    const { method, path } = request;
    if (method === "GET" && path === "/me")
      return {
        status: 200,
        body: {
          _links: { self: `${base}/me` },
          id: "cmp_standin",
          name: options.companyName ?? "Stand-in Company",
        },
      };
    if (method === "GET" && path === "/channels")
      return { status: 200, body: { _results: [...channels.values()].map(channelJson) } };
    let params = matchPath("/channels/:id", path);
    if (params) {
      const channel = channels.get(params.id!);
      if (!channel) return error(404, "Not found", `Unknown channel ID ${params.id}`);
      if (method === "GET") return { status: 200, body: channelJson(channel) };
      if (method === "PATCH") {
        const settings = (request.body as { settings?: { webhook_url?: string } } | undefined)
          ?.settings;
        if (settings) channel.settings = { ...channel.settings, ...settings };
        return { status: 204 };
      }
    }
    params = matchPath("/inboxes/:id", path);
    if (params && method === "GET") {
      const owner = [...channels.values()].find((c) => c.inboxId === params!.id);
      return owner
        ? {
            status: 200,
            body: { id: params.id, name: "SMS Inbox", is_private: false, is_public: true },
          }
        : error(404, "Not found", `Unknown inbox ID ${params.id}`);
    }
    params = matchPath("/channels/:id/incoming_messages", path);
    if (params && method === "POST") {
      if (!channels.has(params.id!))
        return error(404, "Not found", `Unknown channel ID ${params.id}`);
      const message = request.body as Record<string, unknown> | undefined;
      if (!message || typeof message.body !== "string")
        return error(400, "Bad request", "Body did not satisfy requirements");
      const messageUid = randomBytes(8).toString("hex");
      incoming.push({
        channelId: params.id!,
        messageUid,
        message,
        attachments: request.files ?? [],
      });
      return { status: 202, body: { status: "accepted", message_uid: messageUid } };
    }
    const contactReply = contactsRoute(request, contacts, base, error);
    if (contactReply) return contactReply;
    params = matchPath("/messages/:id", path);
    if (params && method === "GET") {
      // alt:uid:<message_uid> finds a message imported through incoming_messages.
      const uid = params.id!.startsWith("alt:uid:")
        ? params.id!.slice("alt:uid:".length)
        : undefined;
      const found = incoming.find(
        (m) => m.messageUid === uid || `msg_${m.messageUid}` === params!.id,
      );
      if (!found) return error(404, "Not found", `Unknown message ID ${params.id}`);
      return { status: 200, body: messageJson(found) };
    }
    params = matchPath("/conversations/:id/messages", path);
    if (params && method === "GET") {
      const limit = Number(request.query.limit ?? 50);
      const inConversation = incoming.filter((m) => conversationOf(m) === params!.id);
      return {
        status: 200,
        body: {
          _pagination: { next: null },
          _links: { self: `${base}${path}` },
          _results: inConversation.reverse().slice(0, limit).map(messageJson),
        },
      };
    }
    params = matchPath("/conversations/:id/comments", path);
    if (params && method === "POST") {
      const body = (request.body as { body?: string } | undefined)?.body ?? "";
      comments.push({ conversationId: params.id!, body });
      return {
        status: 201,
        body: { id: id("com"), body, posted_at: Date.now() / 1000, is_pinned: false },
      };
    }
    const inboxes = [...new Set([...channels.values()].map((c) => c.inboxId))].map((inbox) => ({
      id: inbox,
      name: "SMS Inbox",
    }));
    const more =
      analyticsRoute(request, analytics, { base, inboxes, error }) ??
      tagsRoute(request, tags, { base, error });
    if (more) return more;
    return error(404, "Not found", `No route ${method} ${path}`);
  }

  return Object.assign(standIn, {
    token,
    rateLimited: limits?.refused ?? { company: 0, burst: 0 },
    channels,
    incoming,
    comments,
    contacts,
    analytics,
    tags,
    app,
    addAttachment: (filename: string, contentType: string, bytes: Buffer) =>
      files.add(base, filename, contentType, bytes),
    async authorize(serverUrl: string) {
      if (!app) throw new Error("the stand-in plays no Front app (options.app)");
      const event = frontAppEvent("authorization", { channel_id: app.channelId });
      const reply = await send(signedFrontAppRequest(serverUrl, event, app.secret));
      appWebhookUrl = (reply.body as { webhook_url?: string }).webhook_url;
      return reply;
    },
    async sendAppEvent(
      type: string,
      payload: unknown,
      extra: {
        method?: "POST" | "DELETE";
        timestamp?: number;
        metadata?: unknown;
        secret?: string;
      } = {},
    ) {
      if (!app || !appWebhookUrl) throw new Error("authorize() the app's channel first");
      const event = frontAppEvent(type, payload, extra.metadata);
      const signing = {
        ...(extra.method ? { method: extra.method } : {}),
        ...(extra.timestamp ? { timestamp: extra.timestamp } : {}),
      };
      return send(signedFrontAppRequest(appWebhookUrl, event, extra.secret ?? app.secret, signing));
    },
    async sendAgentMessage(input: Parameters<FrontStandIn["sendAgentMessage"]>[0]) {
      const channel = channels.get(input.channelId ?? channelDef.id);
      const url = channel?.settings.webhook_url;
      if (!url)
        throw new Error("the stand-in channel has no webhook URL to post agent messages to");
      const message = frontCustomMessage({
        apiBase: base,
        to: input.to,
        text: input.text,
        ...(input.messageId ? { messageId: input.messageId } : {}),
        ...(input.conversationId ? { conversationId: input.conversationId } : {}),
        ...(input.attachments ? { attachments: input.attachments } : {}),
      });
      return send(signedFrontRequest(url, message, options.webhookSecret));
    },
  });
}
