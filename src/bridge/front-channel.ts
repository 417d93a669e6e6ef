import type { IncomingHttpHeaders } from "node:http";
import type { MediaFile } from "../clients/twilio-media.js";
import type { FailureNotice, InboundSms, OutboundSms, Route } from "../types.js";

/**
 * The port the bridge's rules talk to for the Front side. `channel/` implements it for custom and
 * application channels; nothing here depends on which.
 */

/** The outcome of one agent message, per recipient. */
export type SendResult =
  | { status: "sent"; sms: OutboundSms; sid: string }
  | { status: "queued"; sms: OutboundSms }
  | { status: "refused"; sms: OutboundSms; reason: string };

export interface ChannelReply {
  status: number;
  body: unknown;
}

/** What a request on the Front route asks for: SMS to send (then a reply from their results), or just a reply. */
export type ChannelEvent =
  | { type: "send"; messages: OutboundSms[]; reply: (results: SendResult[]) => ChannelReply }
  | { type: "reply"; reply: ChannelReply };

export type Verdict = "ok" | "unknown-path" | "bad-signature" | "stale";

/**
 * The Front side of the bridge. `custom` and `application` channels differ in endpoints, auth,
 * payloads and signatures; everything else in the bridge talks to this interface only.
 */
export interface FrontChannel {
  readonly mode: "custom" | "application";
  /** HTTP methods Front uses on the channel's route (application channels DELETE on removal). */
  readonly methods: readonly ("POST" | "DELETE")[];
  /** The path Front posts to, for banners and setup. */
  webhookPath(): string;
  /** Checks the path token and signature on the raw bytes, before anything is parsed. */
  authenticate(request: {
    method: string;
    pathToken: string;
    rawBody: Buffer;
    headers: IncomingHttpHeaders;
  }): Verdict;
  /** Turns a verified body (undefined when empty) into work; throws BadRequestError when malformed. */
  parseEvent(body: unknown, route: Route, method: string): Promise<ChannelEvent>;
  /** Delivers a customer's message into the channel (called by the worker, paced and retried). */
  deliverInbound(
    sms: InboundSms,
    route: Route,
    extras?: InboundExtras,
  ): Promise<{ frontMessageUid?: string }>;
  /**
   * Whether Front already holds a customer's message whose post lost its answer (the bridge died
   * or the request timed out): "found", "absent", or "unknown" when Front offers no way to tell.
   * The hint leads to the customer's conversation: the uid of their previous message Front
   * accepted, or the conversation of an agent's reply to them, when the bridge has either.
   */
  findInbound?(sms: InboundSms, route: Route, hint: ConversationHint): Promise<InboundLookup>;
  /** Tells the agent that an SMS could not be delivered. */
  reportFailure(notice: FailureNotice, route: Route): Promise<void>;
  /** Downloads an agent's attachment with the channel's credentials (only from Front's API host). */
  downloadAttachment(url: string): Promise<MediaFile>;
  /** Twilio accepted (true) or rejected the bridge's credentials (false) on a send. */
  twilioHealth(ok: boolean): Promise<void>;
}

export class BadRequestError extends Error {}

export type InboundLookup = "found" | "absent" | "unknown";

export interface ConversationHint {
  lastUid?: string;
  conversationId?: string;
}

/** What delivery adds to a customer's message: downloaded media, and notes for the agent. */
export interface InboundExtras {
  attachments: MediaFile[];
  notes: string[];
}
