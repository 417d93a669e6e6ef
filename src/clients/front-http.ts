import {
  FrontApiError,
  parseFrontError,
  readRateLimit,
  type RateLimitInfo,
} from "./front-errors.js";
import type { MediaFile } from "./twilio-media.js";

export interface FrontRequesterOptions {
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  now?: () => number;
  /** The bearer credential for each request: a Core API token, or a fresh Channel API JWT. */
  bearer: () => string;
  onRateLimit?: (rate: RateLimitInfo) => void;
}

/** JSON over fetch for both Front APIs: one error type, rate-limit headers reported on every answer. */
export function createFrontRequester(options: FrontRequesterOptions) {
  const baseUrl = (options.baseUrl ?? "https://api2.frontapp.com").replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      let url = new URL(`${baseUrl}${path}`);
      response = await send(method, url, body);
      // A merged conversation answers 301 (front-api.md §8). fetch would turn a redirected POST
      // into a GET, silently dropping the comment, so the same request is sent again, once.
      if ([301, 302, 307, 308].includes(response.status) && response.headers.get("location")) {
        url = new URL(response.headers.get("location")!, url);
        response = await send(method, url, body);
      }
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

  /**
   * An attachment's bytes, from Front's API host only (the configured one, or *.frontapp.com, where
   * Front links attachments), so a message can never make the bridge fetch another URL.
   */
  async function download(url: string, maxBytes = 5 * 1024 * 1024): Promise<MediaFile> {
    const target = new URL(url);
    const base = new URL(baseUrl);
    if (
      target.host !== base.host &&
      !(target.protocol === "https:" && /(^|\.)frontapp\.com$/.test(target.hostname))
    ) {
      throw new FrontApiError(
        400,
        `refused to download an attachment from ${target.host}: not Front's API`,
      );
    }
    let response: Response;
    try {
      response = await doFetch(target, {
        headers: { authorization: `Bearer ${options.bearer()}` },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new FrontApiError(
        0,
        `Front could not be reached for an attachment (${causeOf(error)})`,
      );
    }
    if (!response.ok)
      throw new FrontApiError(
        response.status,
        parseFrontError(response.status, await response.text()),
      );
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > maxBytes)
      throw new FrontApiError(
        413,
        `the attachment is ${Math.ceil(bytes.length / 1024)} KB, over ${maxBytes / 1024 / 1024} MB`,
      );
    const contentType = (response.headers.get("content-type") ?? "application/octet-stream")
      .split(";")[0]!
      .trim();
    const filename =
      /filename="?([^";]+)"?/.exec(response.headers.get("content-disposition") ?? "")?.[1] ??
      target.pathname.split("/").pop() ??
      "attachment";
    return { filename, contentType, bytes };
  }

  function send(method: string, url: URL, body: unknown) {
    return doFetch(url, {
      method,
      redirect: "manual",
      headers: {
        authorization: `Bearer ${options.bearer()}`,
        accept: "application/json",
        // fetch sets multipart/form-data with its boundary for a FormData body.
        ...(body === undefined || body instanceof FormData
          ? {}
          : { "content-type": "application/json" }),
      },
      ...(body === undefined
        ? {}
        : { body: body instanceof FormData ? body : JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  return { baseUrl, request, download };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** A page of a Front list. */
export interface Page<T> {
  _results: T[];
  _pagination?: { next?: string | null };
}

/** Every page of a list (Front's `_pagination.next` is a full URL on the same API), at most 20. */
export async function listAll<T>(
  request: <R>(method: string, path: string) => Promise<R>,
  baseUrl: string,
  path: string,
): Promise<T[]> {
  const results: T[] = [];
  let next: string | null | undefined = path;
  for (let page = 0; next && page < 20; page++) {
    const answer: Page<T> = await request<Page<T>>("GET", next);
    results.push(...answer._results);
    const link = answer._pagination?.next;
    next = link ? relative(link, baseUrl) : undefined;
  }
  return results;
}

function relative(link: string, baseUrl: string): string {
  const url = new URL(link, baseUrl);
  return `${url.pathname.slice(new URL(baseUrl).pathname.replace(/\/$/, "").length)}${url.search}`;
}
