import { matchPath } from "../http/path-match.js";
import { type RecordedRequest, type Reply } from "./stand-in.js";
import type { StandInNumber } from "./twilio-records.js";

/** IncomingPhoneNumbers: list (filtered by PhoneNumber, partial matches too) and update. */
export function numbersRoute(deps: {
  request: RecordedRequest;
  form: Record<string, string>;
  accountSid: string;
  numbers: StandInNumber[];
  error: (status: number, code: number, message: string) => Reply;
}): Reply | undefined {
  const { request, form, accountSid, numbers, error } = deps;
  const { method, path } = request;
  const account = `/2010-04-01/Accounts/${accountSid}`;
  const numberJson = (n: StandInNumber) => ({
    ...n,
    account_sid: accountSid,
    api_version: "2010-04-01",
    uri: `${account}/IncomingPhoneNumbers/${n.sid}.json`,
  });
  if (method === "GET" && path === `${account}/IncomingPhoneNumbers.json`) {
    const filter = request.query.PhoneNumber ?? "";
    // Twilio matches partial numbers too; callers compare for equality afterwards.
    const found = numbers.filter((n) => n.phone_number.includes(filter.replace(/[^\d+]/g, "")));
    return {
      status: 200,
      body: {
        incoming_phone_numbers: found.map(numberJson),
        page: 0,
        page_size: 50,
        start: 0,
        end: found.length - 1,
        first_page_uri: `${account}/IncomingPhoneNumbers.json?PageSize=50&Page=0`,
        next_page_uri: null,
        previous_page_uri: null,
        uri: `${account}/IncomingPhoneNumbers.json`,
      },
    };
  }
  const params = matchPath(`${account}/IncomingPhoneNumbers/:sid`, path);
  if (params && method === "POST") {
    const number = numbers.find((n) => `${n.sid}.json` === params.sid);
    if (!number) return error(404, 20404, "The requested resource was not found");
    if (form.SmsUrl !== undefined) number.sms_url = form.SmsUrl;
    if (form.SmsMethod !== undefined) number.sms_method = form.SmsMethod;
    if (form.SmsApplicationSid !== undefined) number.sms_application_sid = form.SmsApplicationSid;
    return { status: 200, body: numberJson(number) };
  }
  return undefined;
}
