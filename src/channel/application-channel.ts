import { createHash } from "node:crypto";
import type { ChannelApiClient } from "../clients/front-channel-api.js";
import { FrontApiError } from "../clients/front-errors.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import { normalizeAddress } from "../phone.js";
import type { Store } from "../store/store.js";
import { htmlToText } from "../text.js";
import { threadKey, type OutboundSms } from "../types.js";
import { verifyFrontApp } from "../webhooks/front-app-signature.js";
import { safeEqual } from "../webhooks/front-signature.js";
import type { Pacer } from "../worker/pacer.js";
import {
  BadRequestError,
  attachmentsOf,
  conversationIdOf,
  inboundHtml,
  recipientsOf,
  type ChannelReply,
  type FrontChannel,
  type SendResult,
} from "./channel.js";

export interface ApplicationChannelOptions {
  api: ChannelApiClient;
  pacer: Pacer;
  appSecret: string;
  webhookToken: string;
  /** front.channelId when configured; otherwise the id Front sent in the `authorization` event. */
  channelId?: string;
  store: Pick<Store, "getMeta" | "setMeta" | "findMessage" | "linkMessage">;
  publicUrl: () => string;
  logger: Logger;
  clock: Clock;
  defaultCountry?: string;
}

const CHANNEL_KEY = "application.channelId";
const REMOVED_KEY = "application.removedChannelId";

interface Message {
  id?: unknown;
  text?: unknown;
  body?: unknown;
  attachments?: unknown;
  recipients?: unknown;
  metadata?: { external_id?: unknown };
  _links?: { related?: { conversation?: unknown; message_replied_to?: unknown } };
}

/** The external id Front gets back for an agent's SMS: the same for every retry of the event. */
export function outboundExternalId(frontMessageId: string, recipient: string): string {
  return `${frontMessageId}:${recipient}`;
}

/** A Front application channel (Channel API): JWT calls, signed timestamped events, external ids. */
export function createApplicationChannel(options: ApplicationChannelOptions): FrontChannel {
  const { logger, store } = options;
  let twilioOk = true;

  const channelId = () => {
    const id = options.channelId ?? store.getMeta(CHANNEL_KEY);
    return id && id !== store.getMeta(REMOVED_KEY) ? id : undefined;
  };
  const requireChannel = () => {
    const id = channelId();
    // Retryable on purpose: messages wait in the store until an admin connects the channel again.
    if (!id)
      throw new FrontApiError(
        0,
        "no Front application channel is connected to the bridge (waiting for Front's authorization event)",
      );
    return id;
  };

  function agentMessage(
    payload: Message,
    autoreply: boolean,
    route: { twilioNumber: string },
  ): ChannelReply | { messages: OutboundSms[]; reply: (results: SendResult[]) => ChannelReply } {
    // Auto-replies carry no id; derive one that Front's retries of the same event reproduce.
    const repliedTo = payload._links?.related?.message_replied_to;
    const id =
      typeof payload.id === "string"
        ? payload.id
        : autoreply && typeof repliedTo === "string"
          ? `${repliedTo.split("/").pop()}_autoreply`
          : `autoreply_${createHash("sha256").update(JSON.stringify(payload)).digest("hex").slice(0, 24)}`;
    const to = recipientsOf(payload);
    if (to.length > 1)
      return failure("Send one SMS per conversation: this message has several recipients.");
    const text =
      typeof payload.text === "string"
        ? payload.text
        : typeof payload.body === "string"
          ? htmlToText(payload.body)
          : "";
    const sms: OutboundSms = { frontMessageId: id, to: to[0]!, body: text.trim() };
    const conversationId = conversationIdOf(payload);
    if (conversationId) sms.conversationId = conversationId;
    const attachments = attachmentsOf(payload);
    if (attachments.length) sms.attachments = attachments;
    return {
      messages: [sms],
      reply: ([result]) => {
        if (!result || result.status === "refused")
          return failure(`SMS not sent: ${result?.reason ?? "no recipient"}`);
        return {
          status: 200,
          body: {
            type: "success",
            external_id: outboundExternalId(id, result.sms.to),
            external_conversation_id: threadKey(result.sms.to, route.twilioNumber),
          },
        };
      },
    };
  }

  return {
    mode: "application",
    methods: ["POST", "DELETE"],
    webhookPath: () => `/front/${options.webhookToken}`,

    authenticate({ method, pathToken, rawBody, headers }) {
      if (!safeEqual(options.webhookToken, pathToken)) return "unknown-path";
      const header = (name: string) =>
        typeof headers[name] === "string" ? headers[name] : undefined;
      const verdict = verifyFrontApp(options.appSecret, {
        timestamp: header("x-front-request-timestamp"),
        signature: header("x-front-signature"),
        rawBody,
        method,
        now: options.clock.now(),
      });
      return verdict === "ok" ? "ok" : verdict === "stale" ? "stale" : "bad-signature";
    },

    parseEvent(received, route, method) {
      // Front's DELETE for a removed channel may come without a body.
      const body = received ?? (method === "DELETE" ? { type: "delete" } : undefined);
      const event = body as
        | { type?: unknown; payload?: Record<string, unknown>; metadata?: Record<string, unknown> }
        | undefined;
      if (!event || typeof event.type !== "string")
        throw new BadRequestError("expected a Channel API event with a type");
      const payload = (event.payload ?? {}) as Message & { channel_id?: unknown };
      switch (event.type) {
        case "authorization": {
          if (typeof payload.channel_id !== "string")
            throw new BadRequestError("authorization without payload.channel_id");
          store.setMeta(CHANNEL_KEY, payload.channel_id);
          if (store.getMeta(REMOVED_KEY) === payload.channel_id)
            store.setMeta(REMOVED_KEY, undefined);
          logger.info(`<-- front channel ${payload.channel_id} connected (authorization)`);
          return {
            type: "reply",
            reply: {
              status: 200,
              body: {
                type: "success",
                webhook_url: `${options.publicUrl()}/front/${options.webhookToken}`,
              },
            },
          };
        }
        case "message":
        case "message_autoreply": {
          const handled = agentMessage(payload, event.type === "message_autoreply", route);
          return "messages" in handled
            ? { type: "send", ...handled }
            : { type: "reply", reply: handled };
        }
        case "message_imported": {
          const external = payload.metadata?.external_id ?? event.metadata?.external_id;
          const link = typeof external === "string" ? store.findMessage(external) : undefined;
          const conversationId = conversationIdOf(payload);
          if (link) {
            store.linkMessage(
              {
                ...link,
                ...(typeof payload.id === "string" ? { frontMessageId: payload.id } : {}),
                ...(conversationId ? { frontConversationId: conversationId } : {}),
              },
              options.clock.now(),
            );
          }
          return { type: "reply", reply: { status: 200, body: {} } };
        }
        case "delete": {
          const removed = typeof payload.channel_id === "string" ? payload.channel_id : channelId();
          if (removed) store.setMeta(REMOVED_KEY, removed);
          logger.error(
            `FRONT CHANNEL ${removed ?? "?"} WAS REMOVED: customers' SMS are kept in the store, not delivered, until a channel is connected again`,
          );
          return { type: "reply", reply: { status: 200, body: { type: "success" } } };
        }
        default:
          logger.info(`front event ${event.type}: no action`);
          return { type: "reply", reply: { status: 200, body: {} } };
      }
    },

    async deliverInbound(sms, route, extras = { attachments: [], notes: [] }) {
      const id = requireChannel();
      await options.pacer.acquire(id);
      const accepted = await options.api.inboundMessage(
        id,
        {
          sender: { handle: sms.from, ...(sms.senderName ? { name: sms.senderName } : {}) },
          body: inboundHtml(sms, extras.notes),
          delivered_at: Math.floor(sms.receivedAt / 1000),
          metadata: {
            external_id: sms.messageSid,
            external_conversation_id: threadKey(sms.from, route.twilioNumber),
          },
        },
        extras.attachments,
      );
      return { frontMessageUid: accepted.message_uid };
    },

    async reportFailure(notice, route) {
      if (!notice.frontMessageId) return;
      const id = requireChannel();
      await options.pacer.acquire(id);
      const customer = normalizeAddress(notice.customer, options.defaultCountry).value;
      await options.api.markFailed(
        id,
        threadKey(customer, route.twilioNumber),
        outboundExternalId(notice.frontMessageId, customer),
        notice.reason,
      );
    },

    downloadAttachment: (url) => options.api.download(requireChannel(), url),

    async twilioHealth(ok) {
      const id = channelId();
      if (!id || ok === twilioOk) return;
      twilioOk = ok;
      await options.api.setStatus(id, ok ? "ok" : "offline");
      logger.warn(
        `front channel ${id} marked ${ok ? "ok" : "offline"}: Twilio ${ok ? "accepts" : "rejects"} the bridge's credentials`,
      );
    },
  };
}

function failure(message: string): ChannelReply {
  return { status: 400, body: { type: "bad_request", message } };
}
