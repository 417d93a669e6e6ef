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
  /** `MG…`: sent through the route's Messaging Service (A2P 10DLC campaigns), `from` pinned in it. */
  messagingServiceSid?: string;
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

export interface ReceivedMessage {
  sid: string;
  from: string;
  to: string;
  body: string;
  numMedia: number;
  dateSent: Date;
}

/** A message the account sent, as the Messages list shows it. */
export interface SentMessageRecord {
  sid: string;
  body: string;
  numMedia: number;
  status: string;
  dateCreated: Date;
}

export interface MessagingService {
  sid: string;
  friendlyName: string;
  useInboundWebhookOnNumber: boolean;
  inboundRequestUrl: string | null;
}

export interface NumberUpdate {
  smsUrl: string;
  smsMethod: "POST" | "GET";
}

/** The few Twilio calls the bridge and its setup make; every failure is a TwilioApiError. */
export interface TwilioGateway {
  sendMessage(params: SendMessageParams): Promise<SentMessage>;
  fetchMessage(sid: string): Promise<{ sid: string; status: string; errorCode: number | null }>;
  /**
   * Messages sent from `from` to `to` created since `since`, oldest first: how the bridge learns
   * whether a send whose answer it lost reached Twilio.
   */
  listSentMessages(to: string, from: string, since: Date): Promise<SentMessageRecord[]>;
  /** Messages customers sent to `to` since `since` (all pages), oldest first. */
  listReceivedMessages(to: string, since: Date): Promise<ReceivedMessage[]>;
  listIncomingNumbers(): Promise<IncomingNumber[]>;
  /** Lookup v2 caller_name (billed; US numbers only): the name, or null when there is none. */
  lookupCallerName(phoneNumber: string): Promise<string | null>;
  findIncomingNumber(phoneNumber: string): Promise<IncomingNumber | undefined>;
  updateIncomingNumber(sid: string, update: NumberUpdate): Promise<IncomingNumber>;
  /** The Messaging Service whose sender pool holds the number, if any. */
  findServiceOfNumber(numberSid: string): Promise<MessagingService | undefined>;
  /**
   * A Conversations address configuration that auto-creates a Conversation for SMS to the number
   * (inbound then goes to Conversations instead of the SMS URL), if there is one.
   */
  findConversationsAutoCreation(
    phoneNumber: string,
  ): Promise<{ sid: string; friendlyName: string } | undefined>;
  /** Lets the number's own SMS URL take precedence over the service's inbound settings. */
  deferServiceToNumberWebhook(serviceSid: string): Promise<MessagingService>;
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

function toService(service: {
  sid: string;
  friendlyName: string;
  useInboundWebhookOnNumber: boolean;
  inboundRequestUrl: string;
}): MessagingService {
  return {
    sid: service.sid,
    friendlyName: service.friendlyName,
    useInboundWebhookOnNumber: service.useInboundWebhookOnNumber,
    inboundRequestUrl: service.inboundRequestUrl || null,
  };
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
  const toNumber = (n: IncomingNumber): IncomingNumber => ({
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
          ...(params.messagingServiceSid
            ? { messagingServiceSid: params.messagingServiceSid }
            : {}),
          ...(params.body ? { body: params.body } : {}),
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
    // No DateSent filter: date_sent stays null while Twilio queues a message (it sends at the
    // number's rate), so a queued message would be missed. The newest 200 between the two numbers
    // are filtered on date_created instead.
    listSentMessages: (to, from, since) =>
      call(async () =>
        (await client.messages.list({ to, from, limit: 200, pageSize: 100 }))
          .filter((m) => m.direction !== "inbound" && m.dateCreated >= since)
          .map((m) => ({
            sid: m.sid,
            body: m.body ?? "",
            numMedia: Number(m.numMedia) || 0,
            status: m.status,
            dateCreated: m.dateCreated,
          }))
          .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime()),
      ),
    listReceivedMessages: (to, since) =>
      call(async () =>
        (await client.messages.list({ to, dateSentAfter: since, pageSize: 100 }))
          .filter((m) => m.direction === "inbound")
          .map((m) => ({
            sid: m.sid,
            from: m.from,
            to: m.to,
            body: m.body ?? "",
            numMedia: Number(m.numMedia) || 0,
            dateSent: m.dateSent ?? m.dateCreated,
          }))
          .sort((a, b) => a.dateSent.getTime() - b.dateSent.getTime()),
      ),
    lookupCallerName: (phoneNumber) =>
      call(async () => {
        const result = await client.lookups.v2
          .phoneNumbers(phoneNumber)
          .fetch({ fields: "caller_name" });
        // The SDK turns caller_name into a CallerNameInfo with camelCase fields.
        const info = result.callerName as {
          callerName?: string | null;
          caller_name?: string | null;
        } | null;
        const found = info?.callerName ?? info?.caller_name;
        return found?.trim() ? found.trim() : null;
      }),
    listIncomingNumbers: () =>
      call(async () => (await client.incomingPhoneNumbers.list({ limit: 1000 })).map(toNumber)),
    findIncomingNumber: (phoneNumber) =>
      call(async () => {
        // The filter also matches partial numbers, so compare for equality afterwards.
        const numbers = await client.incomingPhoneNumbers.list({ phoneNumber, limit: 20 });
        const match = numbers.find((n) => n.phoneNumber === phoneNumber);
        return match ? toNumber(match) : undefined;
      }),
    updateIncomingNumber: (sid, update) =>
      call(async () => toNumber(await client.incomingPhoneNumbers(sid).update(update))),
    findServiceOfNumber: (numberSid) =>
      call(async () => {
        for (const service of await client.messaging.v1.services.list({ limit: 1000 })) {
          try {
            await client.messaging.v1.services(service.sid).phoneNumbers(numberSid).fetch();
            return toService(service);
          } catch (error) {
            if ((error as { status?: number }).status !== 404) throw error;
          }
        }
        return undefined;
      }),
    findConversationsAutoCreation: (phoneNumber) =>
      call(async () => {
        const configurations = await client.conversations.v1.addressConfigurations.list({
          type: "sms",
          limit: 1000,
        });
        const match = configurations.find(
          (c) =>
            c.address === phoneNumber &&
            (c.autoCreation as { enabled?: boolean } | null)?.enabled === true,
        );
        return match ? { sid: match.sid, friendlyName: match.friendlyName } : undefined;
      }),
    deferServiceToNumberWebhook: (serviceSid) =>
      call(async () =>
        toService(
          await client.messaging.v1
            .services(serviceSid)
            .update({ useInboundWebhookOnNumber: true }),
        ),
      ),
  };
}
