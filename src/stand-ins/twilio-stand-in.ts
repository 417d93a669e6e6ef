import type { StandInMessage, StandInNumber } from "./twilio-records.js";
import { matchPath } from "../http/path-match.js";
import { newSid, send, signedTwilioRequest, twilioInboundParams } from "../simulate/payloads.js";
import type { FormParams } from "../webhooks/form.js";
import {
  conversationsRoute,
  type StandInAddressConfiguration,
} from "./twilio-conversations-stand-in.js";
import { lookupRoute } from "./twilio-lookup-stand-in.js";
import { numbersRoute } from "./twilio-numbers-stand-in.js";
import { fetchMediaUrls, messageResource, messagesPage } from "./twilio-messages-stand-in.js";
import { createMediaStore } from "./twilio-media-stand-in.js";
import { messagingRoute, type StandInService } from "./twilio-messaging-stand-in.js";
import {
  startStandIn,
  type RecordedRequest,
  type Reply,
  type StandIn,
  type Validator,
} from "./stand-in.js";

export type { StandInService };

export interface TwilioStandInOptions {
  accountSid?: string;
  authToken?: string;
  /** An API key that may also authenticate REST calls. */
  apiKey?: { sid: string; secret: string };
  phoneNumber?: string;
  smsUrl?: string;
  validate?: Validator;
  /**
   * Like Twilio, post signed status callbacks (`sent`, then `delivered` or the outcome set with
   * settleTo) to a message's StatusCallback shortly after it is created. Off by default so tests
   * can send each callback themselves.
   */
  statusCallbacks?: boolean;
}

export type { StandInMessage, StandInNumber } from "./twilio-records.js";

export interface TwilioStandIn extends StandIn {
  readonly accountSid: string;
  readonly authToken: string;
  readonly numbers: StandInNumber[];
  /** Messages sent through the API (the bridge's replies). */
  readonly messages: StandInMessage[];
  /** Customers' messages Twilio received, delivered to the bridge or not. */
  readonly received: StandInMessage[];
  readonly services: StandInService[];
  /** Conversations address configurations (auto-creation takes inbound SMS away from the SMS URL). */
  readonly addressConfigurations: StandInAddressConfiguration[];
  /** What Lookup's caller_name answers, per number (absent: no name). */
  readonly callerNames: Map<string, string | null>;
  /** Makes sends to `to` fail as Twilio would, e.g. `{ status: 400, code: 21211 }`. */
  rejectTo(to: string, error: { status: number; code: number; message: string }): void;
  /** Messages to `to` go `sent`, then `status` (with `errorCode`), as they are fetched. */
  settleTo(to: string, status: string, errorCode?: number): void;
  /** Delivers a customer's SMS to the number's SMS URL, signed with the auth token. */
  sendInboundSms(input: {
    from: string;
    body: string;
    to?: string;
    messageSid?: string;
    extra?: FormParams;
    /** MediaUrl{N}/MediaContentType{N}: make URLs with addMedia (or any URL, to test refusals). */
    media?: { url: string; contentType: string }[];
  }): Promise<{ status: number; body: string; params: FormParams }>;
  /** Stores MMS media for a message; returns its MediaUrl (https://api.twilio.com/…, as in webhooks). */
  addMedia(messageSid: string, contentType: string, bytes: Buffer): string;
  /** A customer's SMS that Twilio received while the bridge was unreachable (Twilio does not retry). */
  receiveWhileDown(input: { from: string; body: string; sentAt?: Date }): StandInMessage;
  /** Posts a signed delivery status callback for a message the bridge sent. */
  sendStatus(sid: string, status: string, errorCode?: number): Promise<{ status: number }>;
}

const sid = newSid;

/** Twilio's REST API (2010-04-01 Messages and IncomingPhoneNumbers) and its webhooks. */
export async function startTwilioStandIn(
  options: TwilioStandInOptions = {},
): Promise<TwilioStandIn> {
  const accountSid = options.accountSid ?? `AC${"0".repeat(32)}`;
  const authToken = options.authToken ?? "twilio-stand-in-auth-token";
  const numbers: StandInNumber[] = [
    {
      sid: sid("PN"),
      phone_number: options.phoneNumber ?? "+14155550100",
      friendly_name: "(415) 555-0100",
      sms_url: options.smsUrl ?? "",
      sms_method: "POST",
      sms_application_sid: "",
      capabilities: { voice: true, sms: true, mms: true, fax: false },
    },
  ];
  const messages: StandInMessage[] = [];
  const received: StandInMessage[] = [];
  const callerNames = new Map<string, string | null>();
  const addressConfigurations: StandInAddressConfiguration[] = [];
  const mediaStore = createMediaStore(accountSid);
  const services: StandInService[] = [];
  const outcomes = new Map<string, { status: string; errorCode?: number }>();
  const rejections = new Map<string, { status: number; code: number; message: string }>();
  const credentials = [`${accountSid}:${authToken}`];
  if (options.apiKey) credentials.push(`${options.apiKey.sid}:${options.apiKey.secret}`);
  const accepted = new Set(credentials.map((c) => `Basic ${Buffer.from(c).toString("base64")}`));
  const account = `/2010-04-01/Accounts/${accountSid}`;

  const error = (status: number, code: number, message: string): Reply => ({
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  });
  const messageJson = (m: StandInMessage) => messageResource(m, accountSid);

  function route(request: RecordedRequest): Reply {
    const cdn = mediaStore.cdnRoute(request);
    if (cdn) return cdn;
    if (!accepted.has(request.headers.authorization ?? ""))
      return error(401, 20003, "Authenticate");
    const media = mediaStore.apiRoute(request, standIn.url);
    if (media) return media;
    const { method, path } = request;
    const form = (request.body ?? {}) as Record<string, string>;
    if (method === "POST" && path === `${account}/Messages.json`) {
      const rejection = rejections.get(form.To ?? "");
      if (rejection) return error(rejection.status, rejection.code, rejection.message);
      if (!form.To || !/^\+\d{8,15}$/.test(form.To))
        return error(400, 21211, `The 'To' number ${form.To} is not a valid phone number.`);
      if (!numbers.some((n) => n.phone_number === form.From))
        return error(
          400,
          21606,
          `The From phone number ${form.From} is not a valid, SMS-capable inbound phone number or short code for your account.`,
        );
      const outcome = outcomes.get(form.To);
      const message: StandInMessage = {
        progress: outcome ? [{ status: "sent" }, outcome] : [],
        direction: "outbound-api",
        dateSent: new Date(),
        sid: sid("SM"),
        to: form.To,
        from: form.From!,
        body: form.Body ?? "",
        status: "queued",
        errorCode: null,
      };
      if (form.StatusCallback) message.statusCallback = form.StatusCallback;
      messages.push(message);
      if (options.statusCallbacks && message.statusCallback) {
        const final = outcome ?? { status: "delivered" };
        // After the 201 is on its way, as Twilio does; a callback nobody takes is dropped.
        setTimeout(() => {
          void twilioStandIn
            .sendStatus(message.sid, "sent")
            .then(() => twilioStandIn.sendStatus(message.sid, final.status, final.errorCode))
            .catch(() => undefined);
        }, 50);
      }
      const mediaUrls = (request.body as Record<string, string | string[]>).MediaUrl;
      if (mediaUrls) message.numMedia = Array.isArray(mediaUrls) ? mediaUrls.length : 1;
      if (mediaUrls)
        void fetchMediaUrls(message, Array.isArray(mediaUrls) ? mediaUrls : [mediaUrls]);
      return { status: 201, body: messageJson(message) };
    }
    if (method === "GET" && path === `${account}/Messages.json`) return listMessages(request.query);
    const params = matchPath(`${account}/Messages/:sid`, path);
    if (params && method === "GET") {
      const message = messages.find((m) => `${m.sid}.json` === params.sid);
      if (!message) return error(404, 20404, "The requested resource was not found");
      const next = message.progress.shift();
      if (next) {
        message.status = next.status;
        message.errorCode = next.errorCode ?? null;
      }
      return { status: 200, body: messageJson(message) };
    }
    return (
      numbersRoute({ request, form, accountSid, numbers, error }) ??
      messagingRoute({ request, form, accountSid, services, numbers, error }) ??
      lookupRoute(request, callerNames) ??
      conversationsRoute(request, addressConfigurations) ??
      error(404, 20404, `The requested resource ${path} was not found`)
    );
  }

  /** Like Twilio, fetch an outbound MMS's media from the public URLs it was given. */
  /** Records a customer's message in Twilio's log (what the Messages list shows). */
  function receive(input: {
    sid: string;
    to: string;
    from: string;
    body: string;
    sentAt: Date;
  }): StandInMessage {
    const message: StandInMessage = {
      sid: input.sid,
      to: input.to,
      from: input.from,
      body: input.body,
      status: "received",
      errorCode: null,
      progress: [],
      direction: "inbound",
      dateSent: input.sentAt,
    };
    received.push(message);
    return message;
  }

  const listMessages = (query: Record<string, string>) =>
    messagesPage([...received, ...messages], query, account, accountSid);

  const standIn = await startStandIn(route, options.validate ? { validate: options.validate } : {});

  async function postSigned(url: string, params: FormParams) {
    const { status, body } = await send(signedTwilioRequest(authToken, url, params));
    return { status, body: typeof body === "string" ? body : JSON.stringify(body) };
  }

  const twilioStandIn = Object.assign(standIn, {
    accountSid,
    authToken,
    numbers,
    messages,
    received,
    services,
    callerNames,
    addressConfigurations,
    addMedia: (messageSid: string, contentType: string, bytes: Buffer) =>
      mediaStore.add(messageSid, contentType, bytes),
    settleTo: (to: string, status: string, errorCode?: number) =>
      void outcomes.set(to, errorCode === undefined ? { status } : { status, errorCode }),
    rejectTo: (to: string, e: { status: number; code: number; message: string }) =>
      void rejections.set(to, e),
    async sendInboundSms(input: Parameters<TwilioStandIn["sendInboundSms"]>[0]) {
      const number = numbers.find((n) => n.phone_number === (input.to ?? numbers[0]!.phone_number));
      if (!number?.sms_url) throw new Error("the stand-in number has no SMS URL to deliver to");
      const params: FormParams = {
        ...twilioInboundParams({
          accountSid,
          from: input.from,
          to: number.phone_number,
          body: input.body,
          ...(input.messageSid ? { messageSid: input.messageSid } : {}),
          ...(input.media ? { media: input.media } : {}),
        }),
        ...input.extra,
      };
      receive({
        sid: params.MessageSid as string,
        to: number.phone_number,
        from: input.from,
        body: input.body,
        sentAt: new Date(),
      });
      return { ...(await postSigned(number.sms_url, params)), params };
    },
    receiveWhileDown: (input: { from: string; body: string; sentAt?: Date }) =>
      receive({
        sid: sid("SM"),
        to: numbers[0]!.phone_number,
        from: input.from,
        body: input.body,
        sentAt: input.sentAt ?? new Date(),
      }),
    async sendStatus(messageSid: string, status: string, errorCode?: number) {
      const message = messages.find((m) => m.sid === messageSid);
      if (!message?.statusCallback) throw new Error(`message ${messageSid} has no status callback`);
      message.status = status;
      message.errorCode = errorCode ?? null;
      const params: FormParams = {
        MessageSid: messageSid,
        SmsSid: messageSid,
        MessageStatus: status,
        SmsStatus: status,
        AccountSid: accountSid,
        From: message.from,
        To: message.to,
        ApiVersion: "2010-04-01",
        ...(errorCode ? { ErrorCode: String(errorCode) } : {}),
      };
      return postSigned(message.statusCallback, params);
    },
  });
  return twilioStandIn;
}
