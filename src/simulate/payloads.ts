import { randomBytes } from "node:crypto";
import { textToHtml } from "../text.js";
import { signFrontApp } from "../webhooks/front-app-signature.js";
import { signFrontCustom } from "../webhooks/front-signature.js";
import { encodeForm, type FormParams } from "../webhooks/form.js";
import { signTwilio } from "../webhooks/twilio-signature.js";

/**
 * Webhooks exactly as Twilio and Front send them, signed. The stand-ins, `simulate` and `demo`
 * all build their requests here, so there is one description of each payload.
 */
export function newSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString("hex")}`;
}

/** The form fields of Twilio's inbound-message webhook (twilio-api.md §1.2). */
export function twilioInboundParams(input: {
  accountSid: string;
  from: string;
  to: string;
  body: string;
  messageSid?: string;
  media?: { url: string; contentType: string }[];
}): FormParams {
  const media = input.media ?? [];
  const messageSid = input.messageSid ?? newSid(media.length ? "MM" : "SM");
  const params: FormParams = {
    ToCountry: "US",
    SmsMessageSid: messageSid,
    NumMedia: String(media.length),
    SmsSid: messageSid,
    SmsStatus: "received",
    Body: input.body,
    To: input.to,
    NumSegments: "1",
    MessageSid: messageSid,
    AccountSid: input.accountSid,
    From: input.from,
    ApiVersion: "2010-04-01",
  };
  media.forEach((item, n) => {
    params[`MediaUrl${n}`] = item.url;
    params[`MediaContentType${n}`] = item.contentType;
  });
  return params;
}

/** A custom channel's outbound webhook body: the Message resource (front-api.md §2.1). */
export function frontCustomMessage(input: {
  apiBase: string;
  to: string | string[];
  text: string;
  messageId?: string;
  conversationId?: string;
  attachments?: { id: string; url: string; filename: string; content_type: string; size: number }[];
}) {
  const messageId = input.messageId ?? `msg_${randomBytes(4).toString("hex")}`;
  const conversationId = input.conversationId ?? `cnv_${randomBytes(4).toString("hex")}`;
  return {
    _links: {
      self: `${input.apiBase}/messages/${messageId}`,
      related: { conversation: `${input.apiBase}/conversations/${conversationId}` },
    },
    id: messageId,
    type: "custom",
    is_inbound: false,
    created_at: Date.now() / 1000,
    blurb: input.text.slice(0, 50),
    author: { id: "tea_simulated", email: "agent@example.com" },
    recipients: (Array.isArray(input.to) ? input.to : [input.to]).map((handle) => ({
      handle,
      role: "to",
      name: null,
    })),
    body: `<p>${textToHtml(input.text)}</p>`,
    text: input.text,
    attachments: (input.attachments ?? []).map((a) => ({ ...a, metadata: { is_inline: false } })),
    metadata: {},
  };
}

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** `signedUrl` is the URL Twilio was given (it signs that); `postTo` is where the request goes. */
export function signedTwilioRequest(
  authToken: string,
  signedUrl: string,
  params: FormParams,
  postTo = signedUrl,
): SignedRequest {
  const body = encodeForm(params);
  return {
    url: postTo,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": signTwilio(authToken, signedUrl, body),
      "user-agent": "TwilioProxy/1.1",
      "bypass-tunnel-reminder": "1",
    },
    body,
  };
}

export function signedFrontRequest(
  url: string,
  message: unknown,
  webhookSecret?: string,
): SignedRequest {
  const body = JSON.stringify(message);
  return {
    url,
    headers: {
      "content-type": "application/json",
      "bypass-tunnel-reminder": "1",
      ...(webhookSecret ? { "x-front-signature": signFrontCustom(webhookSecret, body) } : {}),
    },
    body,
  };
}

/** Posts a built request; the answer's body is parsed as JSON when it is JSON. */
export async function send(
  request: SignedRequest & { method?: string },
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(request.url, {
    method: request.method ?? "POST",
    headers: request.headers,
    ...(request.body ? { body: request.body } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
  }
}

/** An application channel event: `{type, payload, metadata}` (front-api.md §2.2–2.3). */
export function frontAppEvent(type: string, payload: unknown, metadata?: unknown) {
  return { type, payload, ...(metadata === undefined ? {} : { metadata }) };
}

/** Signed as Front signs channel events: HMAC-SHA256 of "<timestamp>:<body>" ("undefined" without a body). */
export function signedFrontAppRequest(
  url: string,
  event: unknown,
  appSecret: string,
  options: { method?: "POST" | "DELETE"; timestamp?: number } = {},
): SignedRequest & { method: "POST" | "DELETE" } {
  const method = options.method ?? "POST";
  const body = JSON.stringify(event);
  const timestamp = String(options.timestamp ?? Date.now());
  return {
    url,
    method,
    headers: {
      "content-type": "application/json",
      "x-front-request-timestamp": timestamp,
      // Front signs a DELETE as "<timestamp>:undefined" although it carries a body.
      "x-front-signature": signFrontApp(
        appSecret,
        timestamp,
        method === "DELETE" ? "undefined" : body,
      ),
    },
    body,
  };
}
