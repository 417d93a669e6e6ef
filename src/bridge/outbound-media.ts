import { createHash } from "node:crypto";
import type { FrontChannel } from "./front-channel.js";
import type { Clock } from "../clock.js";
import type { Store } from "../store/store.js";
import type { FrontAttachment } from "../types.js";
import { signMediaToken } from "../webhooks/media-token.js";

const MB = 1024 * 1024;
// Twilio: at most 10 media and 5 MB in all; JPEG, PNG and GIF up to 5 MB, other types up to 500 KB.
const IMAGE_TYPES = new Set(["image/jpeg", "image/jpg", "image/png", "image/gif"]);
const MAX_MEDIA = 10;
const MAX_TOTAL = 5 * MB;
const maxFor = (contentType: string) => (IMAGE_TYPES.has(contentType) ? 5 * MB : 500 * 1024);

/** Why Twilio would not accept these attachments, in words for the agent; undefined when it would. */
export function attachmentProblem(
  attachments: { filename: string; contentType: string; size?: number }[],
): string | undefined {
  if (attachments.length > MAX_MEDIA)
    return `an SMS can carry at most ${MAX_MEDIA} attachments; this message has ${attachments.length}`;
  for (const a of attachments) {
    if (a.size !== undefined && a.size > maxFor(a.contentType)) {
      const limit = IMAGE_TYPES.has(a.contentType)
        ? "5 MB"
        : "500 KB (only JPEG, PNG and GIF may be up to 5 MB)";
      return `${a.filename} (${a.contentType}, ${Math.ceil(a.size / 1024)} KB) is over Twilio's limit of ${limit}`;
    }
  }
  const total = attachments.reduce((sum, a) => sum + (a.size ?? 0), 0);
  if (total > MAX_TOTAL)
    return `the attachments add up to ${Math.ceil(total / 1024)} KB, over Twilio's 5 MB per message`;
  return undefined;
}

/** An attachment Twilio would refuse: the send is refused too, with the reason. */
export class UnsendableAttachment extends Error {}

/**
 * Outbound MMS: each attachment is downloaded from Front with the channel's credentials and kept
 * in the store for `ttlMs`, behind a signed, unguessable `/media/<token>` URL that Twilio fetches.
 */
export function createOutboundMedia(deps: {
  store: Store;
  /** The channel whose credentials download a route's attachments. */
  channelFor: (routeId: string) => FrontChannel | undefined;
  clock: Clock;
  secret: string;
  publicUrl: () => string;
  ttlMs?: number;
}) {
  const ttlMs = deps.ttlMs ?? 3600_000;
  return {
    async prepare(
      routeId: string,
      jobKey: string,
      attachments: FrontAttachment[],
    ): Promise<string[]> {
      const channel = deps.channelFor(routeId);
      if (!channel) throw new UnsendableAttachment(`no route ${routeId} is configured any more`);
      const files = [];
      for (const attachment of attachments)
        files.push(await channel.downloadAttachment(attachment.url));
      const problem = attachmentProblem(
        files.map((file, n) => ({
          filename: attachments[n]!.filename,
          contentType: file.contentType,
          size: file.bytes.length,
        })),
      );
      if (problem) throw new UnsendableAttachment(problem);
      const expiresAt = deps.clock.now() + ttlMs;
      const urls = files.map(async (file, n) => {
        // The same job gets the same ids on a retry, so Twilio never sees stale copies.
        const id = createHash("sha256")
          .update(`${jobKey}#${n}`)
          .update(deps.secret)
          .digest("base64url")
          .slice(0, 32);
        await deps.store.putMedia({
          id,
          jobKey,
          contentType: file.contentType,
          bytes: file.bytes,
          expiresAt,
        });
        return `${deps.publicUrl()}/media/${signMediaToken(deps.secret, id, expiresAt)}`;
      });
      return Promise.all(urls);
    },
  };
}

export type OutboundMedia = ReturnType<typeof createOutboundMedia>;
