import { TwilioApiError } from "./twilio-errors.js";
import type { TwilioCredentials } from "./twilio.js";

export interface MediaFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface MediaFetcherOptions extends TwilioCredentials {
  /** TWILIO_API_URL: Twilio's API host is replaced by it, and it is trusted like Twilio's hosts. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

const TWILIO_HOST = /(^|\.)twilio\.com$/;
// Twilio answers a media URL with a redirect to its CDN.
const MEDIA_HOSTS = [TWILIO_HOST, /(^|\.)twiliocdn\.com$/];

/**
 * Downloads MMS media from Twilio, and only from Twilio: the account's credentials go to
 * *.twilio.com only, redirects are followed only to Twilio's media hosts, and a body over `maxBytes`
 * is cut off. Anything else is refused, so a webhook can never make the bridge fetch any URL.
 */
export function createMediaFetcher(options: MediaFetcherOptions) {
  const doFetch = options.fetch ?? globalThis.fetch;
  const override = options.baseUrl ? new URL(options.baseUrl) : undefined;
  const user =
    options.apiKey && options.apiSecret
      ? `${options.apiKey}:${options.apiSecret}`
      : `${options.accountSid}:${options.authToken}`;
  const authorization = `Basic ${Buffer.from(user).toString("base64")}`;

  const isOverride = (url: URL) => override !== undefined && url.host === override.host;
  const allowed = (url: URL) =>
    isOverride(url) ||
    (url.protocol === "https:" && MEDIA_HOSTS.some((host) => host.test(url.hostname)));

  function rebase(raw: string): URL {
    const url = new URL(raw);
    if (override && TWILIO_HOST.test(url.hostname))
      return new URL(`${url.pathname}${url.search}`, override);
    return url;
  }

  /** True when the URL may be fetched at all (a webhook's MediaUrl must be Twilio's). */
  function isTwilioMediaUrl(raw: string): boolean {
    try {
      const url = new URL(raw);
      return url.protocol === "https:" && TWILIO_HOST.test(url.hostname);
    } catch {
      return false;
    }
  }

  async function fetchMedia(
    raw: string,
    maxBytes: number,
  ): Promise<MediaFile | { tooLarge: true; size: number }> {
    if (!isTwilioMediaUrl(raw))
      throw new TwilioApiError(
        400,
        undefined,
        `refused to fetch media from ${raw}: not a Twilio URL`,
      );
    let url = rebase(raw);
    for (let hop = 0; hop < 4; hop++) {
      const withCredentials =
        TWILIO_HOST.test(url.hostname) ||
        (isOverride(url) && url.pathname.startsWith("/2010-04-01/"));
      let response: Response;
      try {
        response = await doFetch(url, {
          redirect: "manual",
          headers: withCredentials ? { authorization } : {},
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        throw new TwilioApiError(
          0,
          undefined,
          `media download failed (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message})`,
        );
      }
      if (response.status >= 300 && response.status < 400) {
        const next = new URL(response.headers.get("location") ?? "", url);
        if (!allowed(next))
          throw new TwilioApiError(
            400,
            undefined,
            `refused to follow a media redirect to ${next.host}`,
          );
        url = next;
        continue;
      }
      if (!response.ok)
        throw new TwilioApiError(
          response.status,
          undefined,
          `media download answered ${response.status}`,
        );
      const declared = Number(response.headers.get("content-length"));
      if (Number.isFinite(declared) && declared > maxBytes) {
        await response.body?.cancel();
        return { tooLarge: true, size: declared };
      }
      const bytes = Buffer.from(await response.arrayBuffer());
      if (bytes.length > maxBytes) return { tooLarge: true, size: bytes.length };
      const contentType = (response.headers.get("content-type") ?? "application/octet-stream")
        .split(";")[0]!
        .trim();
      return { filename: filenameFor(raw, contentType), contentType, bytes };
    }
    throw new TwilioApiError(400, undefined, "too many media redirects");
  }

  return { fetchMedia, isTwilioMediaUrl };
}

export type MediaFetcher = ReturnType<typeof createMediaFetcher>;

const EXTENSIONS: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
  "video/mp4": "mp4",
  "audio/mpeg": "mp3",
  "application/pdf": "pdf",
  "text/vcard": "vcf",
  "text/x-vcard": "vcf",
};

function filenameFor(url: string, contentType: string): string {
  const sid = url.split("/").pop()?.split("?")[0] || "media";
  return `${sid}.${EXTENSIONS[contentType] ?? "bin"}`;
}
