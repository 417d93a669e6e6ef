import {
  FrontApiError,
  parseFrontError,
  readRateLimit,
  type RateLimitInfo,
} from "./front-errors.js";

export interface FrontChannelResource {
  id: string;
  name?: string;
  address?: string;
  type: string;
  is_valid?: boolean;
  settings?: { webhook_url?: string; [key: string]: unknown };
  _links?: { related?: { inbox?: string; owner?: string } };
}

export interface FrontInbox {
  id: string;
  name: string;
}

export interface IncomingMessage {
  sender: { handle: string; name?: string };
  body: string;
  body_format?: "markdown" | "html";
  subject?: string;
  metadata?: { thread_ref?: string; headers?: Record<string, string> };
}

export interface FrontClientOptions {
  token: string;
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  now?: () => number;
  /** Called with the rate-limit headers of every answer, so the worker can pace itself. */
  onRateLimit?: (rate: RateLimitInfo) => void;
}

export type FrontClient = ReturnType<typeof createFrontClient>;

/** Typed calls to Front's Core API; every failure is a FrontApiError. */
export function createFrontClient(options: FrontClientOptions) {
  const baseUrl = (options.baseUrl ?? "https://api2.frontapp.com").replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason =
        (error as Error).name === "TimeoutError" ? `no answer in ${timeoutMs} ms` : causeOf(error);
      throw new FrontApiError(0, `Front could not be reached at ${baseUrl} (${reason})`);
    }
    const text = await response.text();
    if (!response.ok) {
      const message = parseFrontError(response.status, text);
      const rate = readRateLimit(response.headers, now(), message);
      options.onRateLimit?.(rate);
      throw new FrontApiError(response.status, message, rate);
    }
    options.onRateLimit?.(readRateLimit(response.headers, now()));
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const id = (value: string) => encodeURIComponent(value);

  return {
    baseUrl,
    me: () => request<{ id: string; name: string }>("GET", "/me"),
    listChannels: async () =>
      (await request<{ _results: FrontChannelResource[] }>("GET", "/channels"))._results,
    getChannel: (channelId: string) =>
      request<FrontChannelResource>("GET", `/channels/${id(channelId)}`),
    getInbox: (inboxId: string) => request<FrontInbox>("GET", `/inboxes/${id(inboxId)}`),
    setChannelWebhookUrl: (channelId: string, webhookUrl: string) =>
      request<void>("PATCH", `/channels/${id(channelId)}`, {
        settings: { webhook_url: webhookUrl },
      }),
    postIncomingMessage: (channelId: string, message: IncomingMessage) =>
      request<{ status: string; message_uid: string }>(
        "POST",
        `/channels/${id(channelId)}/incoming_messages`,
        message,
      ),
    /** A message by id or alias, e.g. `alt:uid:<message_uid>` from incoming_messages. */
    getMessage: (idOrAlias: string) =>
      request<{ id: string; _links?: { related?: { conversation?: string } } }>(
        "GET",
        `/messages/${id(idOrAlias)}`,
      ),
    addComment: (conversationId: string, body: string) =>
      request<{ id: string }>("POST", `/conversations/${id(conversationId)}/comments`, { body }),
  };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
