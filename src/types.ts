/** The pair a message travels between: one Twilio number and one Front channel. */
export interface Route {
  /** Stable key used in the store: `<Twilio number>|<Front channel id>`. */
  id: string;
  twilioNumber: string;
  /** The channel id, or `app:<app uid>` for an application channel keyed by its app. */
  channelId: string;
  inboxId?: string;
  /** A Front tag for every new SMS conversation of the route. */
  tag?: string;
  /** `MG…`: replies are sent through this Messaging Service (the number pinned as sender). */
  messagingServiceSid?: string;
}

/** The Twilio number of a route id made by makeRoute. */
export function routeNumber(routeId: string): string {
  return routeId.slice(0, routeId.indexOf("|"));
}

/** The channel part of a route id made by makeRoute. */
export function routeChannel(routeId: string): string {
  return routeId.slice(routeId.indexOf("|") + 1);
}

export function makeRoute(
  twilioNumber: string,
  channelId: string,
  extras: { inboxId?: string; tag?: string; messagingServiceSid?: string } = {},
): Route {
  return { id: `${twilioNumber}|${channelId}`, twilioNumber, channelId, ...extras };
}

/** A customer's message as Twilio delivered it to /twilio/sms, already normalised. */
export interface InboundSms {
  messageSid: string;
  /** The customer (E.164, or a channel address / short code passed through). */
  from: string;
  /** Our Twilio number. */
  to: string;
  body: string;
  numMedia: number;
  /** Epoch ms when the bridge accepted it. */
  receivedAt: number;
  /** The message was an opt-out (STOP…) or opt-in (START…) keyword. */
  optOut?: "stop" | "start";
  /** The caller's name from Twilio Lookup, when enrich.callerName is on and one was found. */
  senderName?: string;
  /** MMS media as Twilio listed them (MediaUrl{N}, MediaContentType{N}). */
  media?: { url: string; contentType: string }[];
}

/** One SMS an agent sent from Front, for one recipient. */
export interface OutboundSms {
  frontMessageId: string;
  conversationId?: string;
  to: string;
  body: string;
  /** Attachments on the Front message, sent as MMS media. */
  attachments?: FrontAttachment[];
}

/** An attachment of a Front message: downloaded with the channel's credentials when sent. */
export interface FrontAttachment {
  url: string;
  filename: string;
  contentType: string;
  /** Bytes, as Front reports it (checked again after download). */
  size?: number;
}

/** What the agent must be told about a delivery failure. */
export interface FailureNotice {
  twilioSid?: string;
  frontMessageId?: string;
  conversationId: string;
  customer: string;
  reason: string;
}

/** One conversation per (customer, Twilio number): product.md §2. */
export function threadKey(customer: string, twilioNumber: string): string {
  return `sms:${customer}:${twilioNumber}`;
}
