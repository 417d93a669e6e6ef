import type { Reply } from "./stand-in.js";
import type { StandInMessage } from "./twilio-records.js";

/** A Message resource as the 2010-04-01 API returns it. */
export function messageResource(m: StandInMessage, accountSid: string) {
  return {
    sid: m.sid,
    account_sid: accountSid,
    to: m.to,
    from: m.from,
    body: m.body,
    status: m.status,
    direction: m.direction,
    date_sent: m.dateSent.toUTCString(),
    date_created: m.dateSent.toUTCString(),
    num_segments: "1",
    num_media: String(m.numMedia ?? 0),
    error_code: m.errorCode,
    error_message: null,
    api_version: "2010-04-01",
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
  };
}

/** Messages list, newest first, filtered by To/From/DateSent>, paged by PageSize and Page. */
export function messagesPage(
  all: StandInMessage[],
  query: Record<string, string>,
  account: string,
  accountSid: string,
): Reply {
  const after = query["DateSent>"] ? Date.parse(query["DateSent>"]) : -Infinity;
  const matching = [...all]
    .sort((a, b) => a.dateSent.getTime() - b.dateSent.getTime())
    .filter(
      (m) =>
        (!query.To || m.to === query.To) &&
        (!query.From || m.from === query.From) &&
        m.dateSent.getTime() >= after,
    )
    .reverse();
  const pageSize = Number(query.PageSize ?? 50);
  const page = Number(query.Page ?? 0);
  const slice = matching.slice(page * pageSize, (page + 1) * pageSize);
  const filters = `${query.To ? `&To=${encodeURIComponent(query.To)}` : ""}${query["DateSent>"] ? `&DateSent%3E=${encodeURIComponent(query["DateSent>"])}` : ""}`;
  const base = `${account}/Messages.json?PageSize=${pageSize}${filters}`;
  const more = (page + 1) * pageSize < matching.length;
  return {
    status: 200,
    body: {
      messages: slice.map((m) => messageResource(m, accountSid)),
      page,
      page_size: pageSize,
      start: page * pageSize,
      end: page * pageSize + slice.length - 1,
      first_page_uri: `${base}&Page=0`,
      next_page_uri: more ? `${base}&Page=${page + 1}&PageToken=PA${page + 1}` : null,
      previous_page_uri: null,
      uri: `${base}&Page=${page}`,
    },
  };
}

/** Like Twilio, fetch an outbound MMS's media from the public URLs it was given. */
export async function fetchMediaUrls(message: StandInMessage, urls: string[]) {
  message.fetchedMedia = [];
  for (const url of urls) {
    const response = await fetch(url).catch(() => undefined);
    message.fetchedMedia.push({
      url,
      status: response?.status ?? 0,
      contentType: response?.headers.get("content-type") ?? "",
      bytes: response ? Buffer.from(await response.arrayBuffer()) : Buffer.alloc(0),
    });
  }
}
