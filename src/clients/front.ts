import type { RateLimitInfo } from "./front-errors.js";
import { toFormData } from "./form-data.js";
import { createFrontRequester } from "./front-http.js";
import type { MediaFile } from "./twilio-media.js";

export interface FrontChannelResource {
  id: string;
  name?: string;
  address?: string;
  type: string;
  is_valid?: boolean;
  settings?: { webhook_url?: string; [key: string]: unknown };
  _links?: { related?: { inbox?: string; owner?: string } };
}

export interface FrontInbox {
  id: string;
  name: string;
}

export interface IncomingMessage {
  sender: { handle: string; name?: string };
  body: string;
  body_format?: "markdown" | "html";
  subject?: string;
  metadata?: { thread_ref?: string; headers?: Record<string, string> };
}

/** What the bridge reads of a Message resource when it looks for one it may have posted. */
export interface FrontMessageSummary {
  id: string;
  metadata?: { headers?: Record<string, unknown>; external_id?: string };
}

export interface FrontClientOptions {
  token: string;
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  now?: () => number;
  /** Called with the rate-limit headers of every answer, so the worker can pace itself. */
  onRateLimit?: (rate: RateLimitInfo) => void;
}

export type FrontClient = ReturnType<typeof createFrontClient>;
export const idPart = (value: string) => encodeURIComponent(value);

/** Typed calls to Front's Core API; every failure is a FrontApiError. */
export function createFrontClient(options: FrontClientOptions) {
  const { baseUrl, request, download } = createFrontRequester({
    ...options,
    bearer: () => options.token,
  });
  const id = idPart;

  return {
    baseUrl,
    download: (url: string) => download(url),
    me: () => request<{ id: string; name: string }>("GET", "/me"),
    listChannels: async () =>
      (await request<{ _results: FrontChannelResource[] }>("GET", "/channels"))._results,
    getChannel: (channelId: string) =>
      request<FrontChannelResource>("GET", `/channels/${id(channelId)}`),
    getInbox: (inboxId: string) => request<FrontInbox>("GET", `/inboxes/${id(inboxId)}`),
    setChannelWebhookUrl: (channelId: string, webhookUrl: string) =>
      request<void>("PATCH", `/channels/${id(channelId)}`, {
        settings: { webhook_url: webhookUrl },
      }),
    postIncomingMessage: (
      channelId: string,
      message: IncomingMessage,
      attachments: MediaFile[] = [],
    ) =>
      request<{ status: string; message_uid: string }>(
        "POST",
        `/channels/${id(channelId)}/incoming_messages`,
        attachments.length ? toFormData({ ...message }, attachments) : message,
      ),
    /** A message by id or alias, e.g. `alt:uid:<message_uid>` from incoming_messages. */
    getMessage: (idOrAlias: string) =>
      request<{ id: string; _links?: { related?: { conversation?: string } } }>(
        "GET",
        `/messages/${id(idOrAlias)}`,
      ),
    /** The newest messages of a conversation (newest first), to find one already imported. */
    listConversationMessages: async (conversationId: string, limit = 25) =>
      (
        await request<{ _results: FrontMessageSummary[] }>(
          "GET",
          `/conversations/${id(conversationId)}/messages?limit=${limit}`,
        )
      )._results,
    /** A contact by id or alias, e.g. `alt:phone:+14155550123`. */
    getContact: (idOrAlias: string) =>
      request<{ id: string; name?: string | null }>("GET", `/contacts/${id(idOrAlias)}`),
    createContact: (contact: { name: string; handles: { handle: string; source: "phone" }[] }) =>
      request<{ id: string }>("POST", "/contacts", contact),
    renameContact: (contactId: string, name: string) =>
      request<void>("PATCH", `/contacts/${id(contactId)}`, { name }),
    addComment: (conversationId: string, body: string) =>
      request<{ id: string }>("POST", `/conversations/${id(conversationId)}/comments`, { body }),
  };
}
