import type { FrontClient } from "../clients/front.js";
import { FrontApiError } from "../clients/front-errors.js";
import { safeEqual, verifyFrontCustom } from "../webhooks/front-signature.js";
import { threadKey, type OutboundSms } from "../types.js";
import type { Pacer } from "../worker/pacer.js";
import {
  attachmentsOf,
  conversationIdOf,
  inboundHtml,
  messageIdOf,
  recipientsOf,
  smsTextOf,
} from "./channel.js";
import {
  BadRequestError,
  type ChannelReply,
  type FrontChannel,
  type SendResult,
} from "../bridge/front-channel.js";

export interface CustomChannelOptions {
  front: FrontClient;
  pacer: Pacer;
  /** The unguessable token in /front/<token>: the only credential when no secret is set. */
  webhookToken: string;
  /** The company's webhook signing secret; when set, X-Front-Signature is required. */
  webhookSecret?: string;
}

interface FrontMessage {
  id?: unknown;
  is_inbound?: unknown;
  text?: unknown;
  body?: unknown;
  attachments?: unknown;
  recipients?: unknown;
  _links?: unknown;
}

/** A Front custom channel: Core API token, incoming_messages, Message-resource webhooks. */
export function createCustomChannel(options: CustomChannelOptions): FrontChannel {
  return {
    mode: "custom",
    methods: ["POST"],
    webhookPath: () => `/front/${options.webhookToken}`,

    authenticate({ pathToken, rawBody, headers }) {
      if (!safeEqual(options.webhookToken, pathToken)) return "unknown-path";
      if (options.webhookSecret === undefined) return "ok";
      const signature = headers["x-front-signature"];
      const valid =
        typeof signature === "string" &&
        verifyFrontCustom(options.webhookSecret, rawBody, signature);
      return valid ? "ok" : "bad-signature";
    },

    async parseEvent(body) {
      const message = body as FrontMessage;
      if (typeof message !== "object" || message === null || Array.isArray(message)) {
        throw new BadRequestError("expected a Front message with an id");
      }
      const id = messageIdOf(message);
      if (message.is_inbound === true) return { type: "reply", reply: { status: 200, body: {} } };
      const to = recipientsOf(message);
      const text = smsTextOf(message);
      const attachments = attachmentsOf(message);
      const conversationId = conversationIdOf(message);
      const messages = to.map((handle) => {
        const sms: OutboundSms = { frontMessageId: id, to: handle, body: text };
        if (conversationId) sms.conversationId = conversationId;
        if (attachments.length) sms.attachments = attachments;
        return sms;
      });
      return { type: "send", messages, reply: customReply };
    },

    async deliverInbound(sms, route, extras = { attachments: [], notes: [] }) {
      await options.pacer.acquire(route.channelId);
      const accepted = await options.front.postIncomingMessage(
        route.channelId,
        {
          sender: { handle: sms.from, ...(sms.senderName ? { name: sms.senderName } : {}) },
          body: inboundHtml(sms, extras.notes),
          body_format: "html",
          metadata: {
            thread_ref: threadKey(sms.from, sms.to),
            headers: { twilio_message_sid: sms.messageSid },
          },
        },
        extras.attachments,
      );
      return { frontMessageUid: accepted.message_uid };
    },

    /**
     * Front has no idempotency key for incoming_messages, but a custom message keeps its
     * `metadata.headers`: the customer's previous message (by its uid) leads to the conversation,
     * whose newest messages show whether this MessageSid is already there. Needs `messages:read`.
     */
    async findInbound(sms, route, { lastUid, conversationId }) {
      // The first message of a new conversation: nothing to look in.
      if (!lastUid && !conversationId) return "unknown";
      try {
        let conversation = conversationId;
        if (lastUid) {
          await options.pacer.acquire(route.channelId);
          conversation = conversationIdOf(await options.front.getMessage(`alt:uid:${lastUid}`));
        }
        if (!conversation) return "unknown";
        await options.pacer.acquire(route.channelId);
        const recent = await options.front.listConversationMessages(conversation);
        const found = recent.some(
          (m) => m.metadata?.headers?.twilio_message_sid === sms.messageSid,
        );
        return found ? "found" : "absent";
      } catch (error) {
        // A token without messages:read, or a message Front no longer has: post as before.
        if (error instanceof FrontApiError && !error.retryable) return "unknown";
        throw error;
      }
    },

    downloadAttachment: (url) => options.front.download(url),

    async twilioHealth() {
      // Custom channels have no status to report; delivery failures become comments.
    },

    async reportFailure(notice) {
      await options.pacer.acquire(notice.conversationId);
      await options.front.addComment(
        notice.conversationId,
        `**SMS to ${notice.customer} was not delivered:** ${notice.reason}.`,
      );
    },
  };
}

/** Custom channels answer `{"type":"success"}`, or an error type with a message the agent sees. */
function customReply(results: SendResult[]): ChannelReply {
  const refused = results.filter((r) => r.status === "refused");
  if (refused.length === 0) return { status: 200, body: { type: "success" } };
  const sent = results.filter((r) => r.status !== "refused").map((r) => r.sms.to);
  const reasons = refused.map((r) => (results.length > 1 ? `${r.sms.to}: ${r.reason}` : r.reason));
  const prefix = sent.length ? `Sent to ${sent.join(", ")}. Not sent: ` : "SMS not sent: ";
  return { status: 400, body: { type: "bad_request", message: prefix + reasons.join("; ") } };
}
