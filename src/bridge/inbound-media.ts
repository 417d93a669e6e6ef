import type { MediaFetcher, MediaFile } from "../clients/twilio-media.js";
import type { InboundExtras } from "./front-channel.js";
import type { InboundSms } from "../types.js";

/** Front accepts at most 25 MB of attachments per message. */
export const FRONT_ATTACHMENT_LIMIT = 25 * 1024 * 1024;

/**
 * Downloads an MMS's media for Front, within Front's 25 MB: what does not fit, and any URL that is
 * not Twilio's, is named in the body instead. A download that fails for a reason worth retrying
 * throws, so the whole delivery is retried like any other.
 */
export async function collectMedia(
  sms: InboundSms,
  fetcher: MediaFetcher,
  limit = FRONT_ATTACHMENT_LIMIT,
): Promise<InboundExtras> {
  const attachments: MediaFile[] = [];
  const notes: string[] = [];
  let room = limit;
  for (const item of sms.media ?? []) {
    if (!fetcher.isTwilioMediaUrl(item.url)) {
      notes.push(`An attachment was not fetched because its address is not Twilio's: ${item.url}`);
      continue;
    }
    const file = await fetcher.fetchMedia(item.url, room);
    if ("tooLarge" in file) {
      notes.push(
        `An attachment (${item.contentType}, ${Math.ceil(file.size / 1024)} KB) did not fit in Front's 25 MB limit; it stays in Twilio: ${item.url}`,
      );
      continue;
    }
    room -= file.bytes.length;
    attachments.push(file);
  }
  return { attachments, notes };
}
