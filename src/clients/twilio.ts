import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient.js";
import { toTwilioApiError } from "./twilio-errors.js";

type RequestOptions<T> = RequestClient.RequestOptions<T>;

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  apiKey?: string;
  apiSecret?: string;
}

export interface SendMessageParams {
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
  mediaUrl?: string[];
}

export interface SentMessage {
  sid: string;
  status: string;
}

export interface IncomingNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  smsUrl: string;
  smsMethod: string;
  smsApplicationSid: string;
  capabilities: { sms?: boolean; mms?: boolean; voice?: boolean };
}

/** The few Twilio calls the bridge makes; every failure is a TwilioApiError. */
export interface TwilioGateway {
  sendMessage(params: SendMessageParams): Promise<SentMessage>;
  fetchMessage(sid: string): Promise<{ sid: string; status: string; errorCode: number | null }>;
  findIncomingNumber(phoneNumber: string): Promise<IncomingNumber | undefined>;
  updateIncomingNumber(
    sid: string,
    update: { smsUrl: string; smsMethod: "POST" },
  ): Promise<IncomingNumber>;
}

export interface TwilioGatewayOptions extends TwilioCredentials {
  /** TWILIO_API_URL: replaces the scheme and host of every *.twilio.com call. */
  baseUrl?: string;
  timeoutMs?: number;
}

/**
 * The SDK has no base-URL option; a RequestClient that rewrites the host is its documented seam
 * (twilio-node advanced-examples/custom-http-client.md).
 */
class RebasingRequestClient extends twilio.RequestClient {
  constructor(
    private readonly base: string,
    options: { timeout: number },
  ) {
    super(options);
  }

  override request<T>(opts: RequestOptions<T>) {
    const url = new URL(opts.uri);
    if (url.hostname === "twilio.com" || url.hostname.endsWith(".twilio.com")) {
      opts.uri = `${this.base}${url.pathname}${url.search}`;
    }
    return super.request<T>(opts);
  }
}

export function createTwilioGateway(options: TwilioGatewayOptions): TwilioGateway {
  const timeout = options.timeoutMs ?? 15_000;
  const useKey = Boolean(options.apiKey && options.apiSecret);
  const client = twilio(
    useKey ? options.apiKey : options.accountSid,
    useKey ? options.apiSecret : options.authToken,
    {
      accountSid: options.accountSid,
      httpClient: options.baseUrl
        ? new RebasingRequestClient(options.baseUrl.replace(/\/+$/, ""), { timeout })
        : new twilio.RequestClient({ timeout }),
    },
  );

  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toTwilioApiError(error);
    }
  };
  const toNumber = (n: {
    sid: string;
    phoneNumber: string;
    friendlyName: string;
    smsUrl: string;
    smsMethod: string;
    smsApplicationSid: string;
    capabilities: IncomingNumber["capabilities"];
  }): IncomingNumber => ({
    sid: n.sid,
    phoneNumber: n.phoneNumber,
    friendlyName: n.friendlyName,
    smsUrl: n.smsUrl,
    smsMethod: n.smsMethod,
    smsApplicationSid: n.smsApplicationSid,
    capabilities: n.capabilities,
  });

  return {
    sendMessage: (params) =>
      call(async () => {
        const message = await client.messages.create({
          to: params.to,
          from: params.from,
          body: params.body,
          ...(params.statusCallback ? { statusCallback: params.statusCallback } : {}),
          ...(params.mediaUrl?.length ? { mediaUrl: params.mediaUrl } : {}),
        });
        return { sid: message.sid, status: message.status };
      }),
    fetchMessage: (sid) =>
      call(async () => {
        const message = await client.messages(sid).fetch();
        return { sid: message.sid, status: message.status, errorCode: message.errorCode };
      }),
    findIncomingNumber: (phoneNumber) =>
      call(async () => {
        // The filter also matches partial numbers, so compare for equality afterwards.
        const numbers = await client.incomingPhoneNumbers.list({ phoneNumber, limit: 20 });
        const match = numbers.find((n) => n.phoneNumber === phoneNumber);
        return match ? toNumber(match) : undefined;
      }),
    updateIncomingNumber: (sid, update) =>
      call(async () => toNumber(await client.incomingPhoneNumbers(sid).update(update))),
  };
}
