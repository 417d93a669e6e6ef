import type { IncomingHttpHeaders } from "node:http";
import type { FailureNotice, InboundSms, OutboundSms, Route } from "../types.js";

/** The outcome of one agent message, per recipient. */
export type SendResult =
  | { status: "sent"; sms: OutboundSms; sid: string }
  | { status: "queued"; sms: OutboundSms }
  | { status: "refused"; sms: OutboundSms; reason: string };

/** What a request on the Front route asks the bridge to do. */
export type ChannelEvent =
  { type: "send"; messages: OutboundSms[] } | { type: "ignore"; reason: string };

export type Verdict = "ok" | "unknown-path" | "bad-signature";

/**
 * The Front side of the bridge. `custom` and `application` channels differ in endpoints, auth,
 * payloads and signatures; everything else in the bridge talks to this interface only.
 */
export interface FrontChannel {
  readonly mode: "custom" | "application";
  /** The path Front posts agent messages to, for banners and setup. */
  webhookPath(): string;
  /** Checks the path token and signature on the raw bytes, before anything is parsed. */
  authenticate(request: {
    pathToken: string;
    rawBody: Buffer;
    headers: IncomingHttpHeaders;
  }): Verdict;
  /** Turns a verified JSON body into work; throws BadRequestError for malformed events. */
  parseEvent(body: unknown, route: Route): ChannelEvent;
  /** The HTTP answer Front expects for the results of one event. */
  reply(results: SendResult[]): { status: number; body: unknown };
  /** Delivers a customer's message into the channel (called by the worker, paced and retried). */
  deliverInbound(sms: InboundSms, route: Route): Promise<{ frontMessageUid?: string }>;
  /** Tells the agent that an SMS could not be delivered. */
  reportFailure(notice: FailureNotice): Promise<void>;
}

export class BadRequestError extends Error {}
