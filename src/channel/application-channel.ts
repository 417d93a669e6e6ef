import { createHash } from "node:crypto";
import type { ChannelApiClient } from "../clients/front-channel-api.js";
import { FrontApiError } from "../clients/front-errors.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import { normalizeAddress } from "../phone.js";
import type { Store } from "../store/store.js";
import { threadKey, type OutboundSms } from "../types.js";
import { verifyFrontApp } from "../webhooks/front-app-signature.js";
import { safeEqual } from "../webhooks/front-signature.js";
import type { Pacer } from "../worker/pacer.js";
import {
  attachmentsOf,
  conversationIdOf,
  inboundHtml,
  isFrontId,
  isRecord,
  recipientsOf,
  smsTextOf,
} from "./channel.js";
import {
  BadRequestError,
  type ChannelReply,
  type FrontChannel,
  type SendResult,
} from "../bridge/front-channel.js";

export interface ApplicationChannelOptions {
  api: ChannelApiClient;
  pacer: Pacer;
  appSecret: string;
  webhookToken: string;
  /** front.channelId when configured; otherwise the id Front sent in the `authorization` event. */
  channelId?: string;
  /**
   * The webhook URL of another route's channel, when `authorization` for it reaches this one
   * (the app's URL): Front is told to send that channel's events to its own route.
   */
  otherChannelUrl?: (channelId: string) => string | undefined;
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
  metadata?: unknown;
  _links?: unknown;
}

/** The external id Front gets back for an agent's SMS: the same for every retry of the event. */
export function outboundExternalId(frontMessageId: string, recipient: string): string {
  return `${frontMessageId}:${recipient}`;
}

/** A Front application channel (Channel API): JWT calls, signed timestamped events, external ids. */
export function createApplicationChannel(options: ApplicationChannelOptions): FrontChannel {
  const { logger, store } = options;
  let twilioOk = true;

  const channelId = async () => {
    const id = options.channelId ?? (await store.getMeta(CHANNEL_KEY));
    return id && id !== (await store.getMeta(REMOVED_KEY)) ? id : undefined;
  };
  const requireChannel = async () => {
    const id = await channelId();
    // Retryable on purpose: messages wait in the store until an admin connects the channel again.
    if (!id)
      throw new FrontApiError(
        0,
        "no Front application channel is connected to the bridge (waiting for Front's authorization event)",
      );
    return id;
  };

  /** Front removed the channel: its messages wait in the store until a channel is connected again. */
  async function removal(): Promise<{ type: "reply"; reply: ChannelReply }> {
    const removed = await channelId();
    if (removed) await store.setMeta(REMOVED_KEY, removed);
    logger.error(
      `FRONT CHANNEL ${removed ?? "?"} WAS REMOVED: customers' SMS are kept in the store, not delivered, until a channel is connected again`,
    );
    return { type: "reply", reply: { status: 200, body: { type: "success" } } };
  }

  function agentMessage(
    payload: Message,
    autoreply: boolean,
    route: { twilioNumber: string },
  ): ChannelReply | { messages: OutboundSms[]; reply: (results: SendResult[]) => ChannelReply } {
    const id = agentMessageId(payload, autoreply);
    const to = recipientsOf(payload);
    if (to.length > 1)
      return failure("Send one SMS per conversation: this message has several recipients.");
    const sms: OutboundSms = { frontMessageId: id, to: to[0]!, body: smsTextOf(payload) };
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

    async parseEvent(received, route, method) {
      // A DELETE's signature covers "<timestamp>:undefined", not its body: it means removal, whatever the body says.
      if (method === "DELETE") return removal();
      const event = received as { type?: unknown; payload?: unknown; metadata?: unknown };
      if (!isRecord(event) || typeof event.type !== "string")
        throw new BadRequestError("expected a Channel API event with a type");
      const payload: Message & { channel_id?: unknown } = isRecord(event.payload)
        ? event.payload
        : {};
      switch (event.type) {
        case "authorization": {
          if (!isFrontId(payload.channel_id, "cha"))
            throw new BadRequestError(
              "authorization without a channel id (payload.channel_id: cha_…)",
            );
          const elsewhere = options.otherChannelUrl?.(payload.channel_id);
          if (elsewhere) {
            logger.info(`<-- front channel ${payload.channel_id} connected (authorization)`);
            return {
              type: "reply",
              reply: { status: 200, body: { type: "success", webhook_url: elsewhere } },
            };
          }
          await store.setMeta(CHANNEL_KEY, payload.channel_id);
          if ((await store.getMeta(REMOVED_KEY)) === payload.channel_id)
            await store.setMeta(REMOVED_KEY, undefined);
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
          const external = externalIdOf(payload.metadata) ?? externalIdOf(event.metadata);
          const link = external ? await store.findMessage(external) : undefined;
          const conversationId = conversationIdOf(payload);
          if (link) {
            await store.linkMessage(
              {
                ...link,
                ...(isFrontId(payload.id, "msg") ? { frontMessageId: payload.id } : {}),
                ...(conversationId ? { frontConversationId: conversationId } : {}),
              },
              options.clock.now(),
            );
          }
          return { type: "reply", reply: { status: 200, body: {} } };
        }
        case "delete":
          return removal();
        default:
          logger.info(`front event ${event.type.slice(0, 40)}: no action`);
          return { type: "reply", reply: { status: 200, body: {} } };
      }
    },

    async deliverInbound(sms, route, extras = { attachments: [], notes: [] }) {
      const id = await requireChannel();
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

    /**
     * The Channel API's JWT also reads the channel's own conversations (front-api.md §1.2): the
     * customer's previous message (by uid) or an agent's reply leads to the conversation, whose
     * newest messages show whether one has this MessageSid as its external_id.
     */
    async findInbound(sms, _route, { lastUid, conversationId }) {
      if (!lastUid && !conversationId) return "unknown";
      const id = await requireChannel();
      try {
        let conversation = conversationId;
        if (lastUid) {
          await options.pacer.acquire(id);
          const previous = await options.api.getMessage(id, `alt:uid:${lastUid}`);
          conversation = conversationIdOf(previous) ?? conversation;
        }
        if (!conversation) return "unknown";
        await options.pacer.acquire(id);
        const recent = await options.api.listConversationMessages(id, conversation);
        return recent.some((m) => m.metadata?.external_id === sms.messageSid) ? "found" : "absent";
      } catch (error) {
        if (error instanceof FrontApiError && !error.retryable) return "unknown";
        throw error;
      }
    },

    async reportFailure(notice, route) {
      if (!notice.frontMessageId) return;
      const id = await requireChannel();
      await options.pacer.acquire(id);
      const customer = normalizeAddress(notice.customer, options.defaultCountry).value;
      await options.api.markFailed(
        id,
        threadKey(customer, route.twilioNumber),
        outboundExternalId(notice.frontMessageId, customer),
        notice.reason,
      );
    },

    downloadAttachment: async (url) => options.api.download(await requireChannel(), url),

    async twilioHealth(ok) {
      const id = await channelId();
      if (!id || ok === twilioOk) return;
      twilioOk = ok;
      await options.api.setStatus(id, ok ? "ok" : "offline");
      logger.warn(
        `front channel ${id} marked ${ok ? "ok" : "offline"}: Twilio ${ok ? "accepts" : "rejects"} the bridge's credentials`,
      );
    },
  };
}

/**
 * The id an agent's message is sent under. Auto-replies carry no id: derive one that Front's
 * retries of the same event reproduce.
 */
function agentMessageId(payload: Message, autoreply: boolean): string {
  if (payload.id !== undefined) {
    if (!isFrontId(payload.id, "msg"))
      throw new BadRequestError("payload.id is not a Front message id (msg_…)");
    return payload.id;
  }
  if (!autoreply) throw new BadRequestError("message event without payload.id");
  const links = isRecord(payload._links) ? payload._links : {};
  const related = isRecord(links.related) ? links.related : {};
  const repliedTo = related.message_replied_to;
  const repliedId = typeof repliedTo === "string" ? repliedTo.split("/").pop() : undefined;
  return isFrontId(repliedId, "msg")
    ? `${repliedId}_autoreply`
    : `autoreply_${createHash("sha256").update(JSON.stringify(payload)).digest("hex").slice(0, 24)}`;
}

function externalIdOf(metadata: unknown): string | undefined {
  const id = isRecord(metadata) ? metadata.external_id : undefined;
  return typeof id === "string" && id.length <= 200 ? id : undefined;
}

function failure(message: string): ChannelReply {
  return { status: 400, body: { type: "bad_request", message } };
}
