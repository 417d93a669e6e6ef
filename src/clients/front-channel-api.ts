import type { RateLimitInfo } from "./front-errors.js";
import { idPart, type FrontMessageSummary } from "./front.js";
import { toFormData } from "./form-data.js";
import { createFrontRequester } from "./front-http.js";
import type { MediaFile } from "./twilio-media.js";
import { channelApiToken } from "./jwt.js";

export interface ChannelInboundMessage {
  sender: { handle: string; name?: string };
  body: string;
  subject?: string;
  delivered_at?: number;
  metadata: { external_id: string; external_conversation_id: string };
}

export interface ChannelApiOptions {
  appUid: string;
  appSecret: string;
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  onRateLimit?: (rate: RateLimitInfo) => void;
}

/** Front's Channel API (application channels): every call carries a fresh JWT for its channel. */
export function createChannelApiClient(options: ChannelApiOptions) {
  const now = options.now ?? Date.now;
  const requester = (channelId: string) =>
    createFrontRequester({
      ...options,
      bearer: () =>
        channelApiToken({
          appUid: options.appUid,
          appSecret: options.appSecret,
          channelId,
          now: now(),
        }),
    });
  const forChannel = (channelId: string) => requester(channelId).request;

  return {
    /** The channel JWT also authorises attachment downloads (front-api.md §4). */
    download: (channelId: string, url: string) => requester(channelId).download(url),
    inboundMessage: (
      channelId: string,
      message: ChannelInboundMessage,
      attachments: MediaFile[] = [],
    ) =>
      forChannel(channelId)<{ status: string; message_uid: string }>(
        "POST",
        `/channels/${idPart(channelId)}/inbound_messages`,
        attachments.length ? toFormData({ ...message }, attachments) : message,
      ),
    /** A message of the channel, by id or `alt:uid:<message_uid>` (the JWT reads the channel's own). */
    getMessage: (channelId: string, idOrAlias: string) =>
      forChannel(channelId)<{ id: string; _links?: { related?: { conversation?: string } } }>(
        "GET",
        `/messages/${idPart(idOrAlias)}`,
      ),
    /** The newest messages of one of the channel's conversations, newest first. */
    listConversationMessages: async (channelId: string, conversationId: string, limit = 25) =>
      (
        await forChannel(channelId)<{ _results: FrontMessageSummary[] }>(
          "GET",
          `/conversations/${idPart(conversationId)}/messages?limit=${limit}`,
        )
      )._results,
    /** Marks an outbound message failed; Front shows the reason and reopens the conversation. */
    markFailed: (
      channelId: string,
      conversationExternalId: string,
      messageExternalId: string,
      reason: string,
    ) =>
      forChannel(channelId)<void>(
        "PUT",
        `/channels/${idPart(channelId)}/conversations/${idPart(conversationExternalId)}/messages/${idPart(messageExternalId)}/status`,
        { status: "failed", reason },
      ),
    /** `ok` or `offline`: a harmless write that also proves the App UID, secret and channel id. */
    setStatus: (channelId: string, status: "ok" | "offline") =>
      forChannel(channelId)<void>("PATCH", `/channels/${idPart(channelId)}`, { status }),
  };
}

export type ChannelApiClient = ReturnType<typeof createChannelApiClient>;
