import { matchPath } from "../http/path-match.js";
import { newSid } from "../simulate/payloads.js";
import { type RecordedRequest, type Reply } from "./stand-in.js";

export interface StandInMedia {
  sid: string;
  messageSid: string;
  contentType: string;
  bytes: Buffer;
}

/**
 * MMS media as Twilio serves them: `GET …/Messages/{MM}/Media/{ME}` (account credentials required)
 * redirects to the media CDN, which serves the bytes without credentials.
 */
export function createMediaStore(accountSid: string) {
  const media: StandInMedia[] = [];
  return {
    media,
    /** Registers a file; returns the MediaUrl Twilio would put in the webhook. */
    add(messageSid: string, contentType: string, bytes: Buffer): string {
      const item = { sid: newSid("ME"), messageSid, contentType, bytes };
      media.push(item);
      return `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}/Media/${item.sid}`;
    },
    /** The authenticated API URL: a redirect to the CDN copy. */
    apiRoute(request: RecordedRequest, base: string): Reply | undefined {
      const params = matchPath(
        `/2010-04-01/Accounts/${accountSid}/Messages/:message/Media/:sid`,
        request.path,
      );
      if (!params || request.method !== "GET" || params.sid!.endsWith(".json")) return undefined;
      const item = media.find((m) => m.sid === params.sid && m.messageSid === params.message);
      if (!item)
        return {
          status: 404,
          body: { code: 20404, message: "The requested resource was not found", status: 404 },
        };
      return { status: 307, headers: { location: `${base}/cdn/${item.sid}` } };
    },
    /** The CDN: no credentials, bytes with their type and length. */
    cdnRoute(request: RecordedRequest): Reply | undefined {
      const params = matchPath("/cdn/:sid", request.path);
      if (!params || request.method !== "GET") return undefined;
      const item = media.find((m) => m.sid === params.sid);
      if (!item) return { status: 404, body: "not found" };
      return {
        status: 200,
        headers: { "content-type": item.contentType, "content-length": String(item.bytes.length) },
        body: item.bytes,
      };
    },
  };
}
