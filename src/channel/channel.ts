import { optOutNote } from "../bridge/opt-out.js";
import { htmlToText, textToHtml } from "../text.js";
import type { FrontAttachment, InboundSms } from "../types.js";
import { BadRequestError } from "../bridge/front-channel.js";

/** Front ids: a documented prefix and a short run of id characters (`msg_1q15qmtq`). */
export function isFrontId(value: unknown, prefix: "msg" | "cnv" | "cha"): value is string {
  return typeof value === "string" && value.length <= 80 && FRONT_ID[prefix].test(value);
}

const FRONT_ID = {
  msg: /^msg_[A-Za-z0-9_-]+$/,
  cnv: /^cnv_[A-Za-z0-9_-]+$/,
  cha: /^cha_[A-Za-z0-9_-]+$/,
};

/** A Front message id, in its documented shape, or a 400. */
export function messageIdOf(message: { id?: unknown }): string {
  if (!isFrontId(message.id, "msg"))
    throw new BadRequestError("expected a Front message id (msg_…)");
  return message.id;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The recipients an agent addressed (role "to"), from a Front Message resource. */
export function recipientsOf(message: { recipients?: unknown }): string[] {
  if (!Array.isArray(message.recipients)) throw new BadRequestError("message has no recipients");
  const to = message.recipients
    .filter(isRecord)
    .filter((r) => r.role === "to" && typeof r.handle === "string")
    .map((r) => r.handle as string);
  if (to.length === 0) throw new BadRequestError("message has no 'to' recipient");
  return to;
}

/** The attachments of a Front Message resource (`attachments[]` with url, filename, content_type, size). */
export function attachmentsOf(message: { attachments?: unknown }): FrontAttachment[] {
  if (!Array.isArray(message.attachments)) return [];
  return message.attachments
    .filter(isRecord)
    .filter((a) => typeof a.url === "string")
    .map((a) => ({
      url: a.url as string,
      filename: typeof a.filename === "string" ? a.filename : "attachment",
      contentType: typeof a.content_type === "string" ? a.content_type : "application/octet-stream",
      ...(typeof a.size === "number" ? { size: a.size } : {}),
    }));
}

/** `cnv_…` from a Message resource's `_links.related.conversation`, when it has that shape. */
export function conversationIdOf(message: { _links?: unknown }): string | undefined {
  const links = isRecord(message._links) ? message._links : undefined;
  const related = isRecord(links?.related) ? links.related : undefined;
  const link = related?.conversation;
  const id = typeof link === "string" ? /\/conversations\/([^/?#]+)/.exec(link)?.[1] : undefined;
  return isFrontId(id, "cnv") ? id : undefined;
}

/**
 * HTML longer than this is not converted: its text could not fit an SMS (1600 characters at
 * most), and converting a megabyte of markup would hold the event loop for a second.
 */
export const MAX_SMS_HTML = 32 * 1024;

/** A Front message's text for SMS: its `text`, else its HTML `body` as plain text. */
export function smsTextOf(message: { text?: unknown; body?: unknown }): string {
  if (typeof message.text === "string") return message.text.trim();
  if (typeof message.body !== "string") return "";
  if (message.body.length > MAX_SMS_HTML)
    throw new BadRequestError(
      `The message is ${Math.round(message.body.length / 1024)} KB of HTML with no plain text; an SMS carries 1600 characters at most.`,
    );
  return htmlToText(message.body).trim();
}

/**
 * The HTML body of a customer's message in Front: their text (escaped, so `*` and `_` are not
 * Markdown), and any note the agent must read, such as an opt-out.
 */
export function inboundHtml(sms: InboundSms, extraNotes: string[] = []): string {
  const notes = [...(sms.optOut ? [optOutNote(sms.optOut, sms.to)] : []), ...extraNotes];
  const text =
    sms.body.trim() !== ""
      ? textToHtml(sms.body)
      : sms.numMedia > 0
        ? "(MMS with no text)"
        : "(no text)";
  return [text, ...notes.map((note) => `<b>⚠ ${textToHtml(note)}</b>`)].join("<br><br>");
}
