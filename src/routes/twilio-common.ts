import { HttpError } from "../http/http.js";
import type { FormParams } from "../webhooks/twilio-signature.js";

export function stringField(form: FormParams, name: string): string {
  const value = form[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new HttpError(400, `missing form field ${name}`);
  }
  return value;
}

/** Why a Twilio signature usually fails, in words an operator can act on (twilio-api.md §2.3). */
export function signatureHint(signedUrl: string, signature: string | string[] | undefined): string {
  if (signature === undefined) return "no X-Twilio-Signature header (not from Twilio?)";
  return (
    `X-Twilio-Signature does not match. Twilio signs the URL it was given; the bridge checks ` +
    `${signedUrl}. If the number's SMS URL differs, run \`front-twilio init\` again or pass --public-url; ` +
    `if the Auth Token changed, update TWILIO_AUTH_TOKEN.`
  );
}
