import type { IncomingMessage } from "node:http";
import { HttpError, readBody, requireContentType } from "../http/http.js";
import type { Logger } from "../log.js";
import { parseForm, verifyTwilio, type FormParams } from "../webhooks/twilio-signature.js";

/**
 * A Twilio webhook's form, after its X-Twilio-Signature was checked on the raw bytes against the
 * URL Twilio was given: 415, 413 and 403 otherwise, before anything is parsed.
 */
export async function readSignedForm(
  req: IncomingMessage,
  deps: { authToken: string; signedUrl: () => string; logger: Logger; what: string; limit: number },
): Promise<FormParams> {
  requireContentType(req, "application/x-www-form-urlencoded");
  const raw = await readBody(req, deps.limit);
  const signature = req.headers["x-twilio-signature"];
  const valid = verifyTwilio(
    deps.authToken,
    deps.signedUrl(),
    raw,
    typeof signature === "string" ? signature : undefined,
  );
  if (!valid) {
    deps.logger.warn(`x-- ${deps.what} refused: ${signatureHint(deps.signedUrl(), signature)}`);
    throw new HttpError(403, "invalid X-Twilio-Signature");
  }
  return parseForm(raw);
}

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
