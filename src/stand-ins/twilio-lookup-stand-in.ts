import { matchPath } from "../http/path-match.js";
import { type RecordedRequest, type Reply } from "./stand-in.js";

/** Lookup v2 (lookups.twilio.com): `GET /v2/PhoneNumbers/{number}?Fields=caller_name`. */
export function lookupRoute(
  request: RecordedRequest,
  callerNames: Map<string, string | null>,
): Reply | undefined {
  const params = matchPath("/v2/PhoneNumbers/:number", request.path);
  if (!params || request.method !== "GET") return undefined;
  const number = params.number!;
  const wanted = (request.query.Fields ?? "").split(",").includes("caller_name");
  const name = callerNames.get(number) ?? null;
  return {
    status: 200,
    body: {
      calling_country_code: "1",
      country_code: "US",
      phone_number: number,
      national_format: number,
      valid: true,
      validation_errors: [],
      caller_name: wanted
        ? { caller_name: name, caller_type: name ? "CONSUMER" : null, error_code: null }
        : null,
      url: `https://lookups.twilio.com/v2/PhoneNumbers/${encodeURIComponent(number)}`,
    },
  };
}
