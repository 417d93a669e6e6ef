import type { RecordedRequest, Reply } from "./stand-in.js";

export interface StandInAddressConfiguration {
  sid: string;
  address: string;
  friendly_name: string;
  type: "sms" | "whatsapp";
  auto_creation: { enabled: boolean; type: "webhook" | "studio" | "default" };
}

/** Conversations (conversations.twilio.com/v1): the address configurations that auto-create conversations. */
export function conversationsRoute(
  request: RecordedRequest,
  configurations: StandInAddressConfiguration[],
): Reply | undefined {
  if (request.method !== "GET" || request.path !== "/v1/Configuration/Addresses") return undefined;
  const type = request.query.Type;
  const items = configurations.filter((c) => !type || c.type === type);
  const url = "https://conversations.twilio.com/v1/Configuration/Addresses?PageSize=50&Page=0";
  return {
    status: 200,
    body: {
      address_configurations: items,
      meta: {
        page: 0,
        page_size: 50,
        first_page_url: url,
        previous_page_url: null,
        url,
        next_page_url: null,
        key: "address_configurations",
      },
    },
  };
}
