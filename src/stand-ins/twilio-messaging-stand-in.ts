import { matchPath } from "../http/path-match.js";
import { type RecordedRequest, type Reply } from "./stand-in.js";
import type { StandInNumber } from "./twilio-records.js";

export interface StandInService {
  sid: string;
  friendly_name: string;
  use_inbound_webhook_on_number: boolean;
  inbound_request_url: string | null;
  /** PN sids in the service's sender pool. */
  senders: string[];
}

const serviceJson = (service: StandInService, accountSid: string) => ({
  sid: service.sid,
  account_sid: accountSid,
  friendly_name: service.friendly_name,
  use_inbound_webhook_on_number: service.use_inbound_webhook_on_number,
  inbound_request_url: service.inbound_request_url,
  inbound_method: "POST",
  url: `https://messaging.twilio.com/v1/Services/${service.sid}`,
});

/** Messaging Services (messaging.twilio.com/v1): the sender pool and inbound precedence. */
export function messagingRoute(deps: {
  request: RecordedRequest;
  form: Record<string, string>;
  accountSid: string;
  services: StandInService[];
  numbers: StandInNumber[];
  error: (status: number, code: number, message: string) => Reply;
}): Reply | undefined {
  const { request, form, accountSid, services, numbers, error } = deps;
  const { method, path } = request;
  if (method === "GET" && path === "/v1/Services") {
    const meta = {
      page: 0,
      page_size: 50,
      first_page_url: "https://messaging.twilio.com/v1/Services?PageSize=50&Page=0",
      previous_page_url: null,
      next_page_url: null,
      url: "https://messaging.twilio.com/v1/Services?PageSize=50&Page=0",
      key: "services",
    };
    return {
      status: 200,
      body: { services: services.map((service) => serviceJson(service, accountSid)), meta },
    };
  }
  let params = matchPath("/v1/Services/:service/PhoneNumbers/:number", path);
  if (params && method === "GET") {
    const service = services.find((s) => s.sid === params!.service);
    const number = numbers.find((n) => n.sid === params!.number);
    if (!service || !number || !service.senders.includes(number.sid))
      return error(404, 20404, "The requested resource was not found");
    return {
      status: 200,
      body: {
        sid: number.sid,
        account_sid: accountSid,
        service_sid: service.sid,
        phone_number: number.phone_number,
        country_code: "US",
        capabilities: ["SMS", "MMS"],
        url: `https://messaging.twilio.com/v1/Services/${service.sid}/PhoneNumbers/${number.sid}`,
      },
    };
  }
  params = matchPath("/v1/Services/:service", path);
  if (params && method === "POST") {
    const service = services.find((s) => s.sid === params.service);
    if (!service) return error(404, 20404, "The requested resource was not found");
    if (form.UseInboundWebhookOnNumber !== undefined)
      service.use_inbound_webhook_on_number = form.UseInboundWebhookOnNumber === "true";
    return { status: 200, body: serviceJson(service, accountSid) };
  }
  return undefined;
}
