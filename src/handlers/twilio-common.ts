import type { IncomingMessage } from "node:http";
import { HttpError, readBody, requireContentType } from "../http/http.js";
import type { Logger } from "../log.js";
import { parseForm, type FormParams } from "../webhooks/form.js";
import { verifyTwilio } from "../webhooks/twilio-signature.js";

/**
 * A Twilio webhook's form, after its X-Twilio-Signature was checked against the URL Twilio was
 * given: 415, 413 and 403 otherwise. The raw bytes are read within the limit and parsed once (a
 * linear pass the signature itself needs); nothing else happens before the signature holds.
 */
export async function readSignedForm(
  req: IncomingMessage,
  deps: { authToken: string; signedUrl: () => string; logger: Logger; what: string; limit: number },
): Promise<FormParams> {
  requireContentType(req, "application/x-www-form-urlencoded");
  const raw = await readBody(req, deps.limit);
  const signature = req.headers["x-twilio-signature"];
  // Without a header of the right shape (base64 of 20 bytes) the body is not even parsed.
  const shaped = typeof signature === "string" && SIGNATURE.test(signature) ? signature : undefined;
  const form = shaped === undefined ? undefined : parseForm(raw);
  if (!form || !verifyTwilio(deps.authToken, deps.signedUrl(), form, shaped)) {
    deps.logger.warn(`x-- ${deps.what} refused: ${signatureHint(deps.signedUrl(), signature)}`);
    throw new HttpError(403, "invalid X-Twilio-Signature");
  }
  return form;
}

export function stringField(form: FormParams, name: string): string {
  const value = form[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new HttpError(400, `missing form field ${name}`);
  }
  return value;
}

/** A field that is absent, or a single string: a repeated name is not a value the bridge can use. */
export function optionalField(form: FormParams, name: string): string | undefined {
  const value = form[name];
  if (value === undefined || typeof value === "string") return value;
  throw new HttpError(400, `form field ${name} is repeated`);
}

const SIGNATURE = /^[A-Za-z0-9+/]{27}=$/;
const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

/**
 * The fields every Twilio message webhook carries, in their documented shape. Twilio signs names
 * and values run together, so a signed body can be re-cut (`MessageSid=SM…NumMedia0`); a sid of
 * exactly 34 characters and the configured account leave no room for that.
 */
export function messageIdentity(form: FormParams, accountSid: string): { messageSid: string } {
  const messageSid = stringField(form, "MessageSid");
  if (!MESSAGE_SID.test(messageSid))
    throw new HttpError(400, "form field MessageSid is not SM or MM followed by 32 hex digits");
  for (const alias of ["SmsSid", "SmsMessageSid"]) {
    const value = optionalField(form, alias);
    if (value !== undefined && value !== messageSid)
      throw new HttpError(400, `form field ${alias} differs from MessageSid`);
  }
  const account = stringField(form, "AccountSid");
  if (!ACCOUNT_SID.test(account) || account !== accountSid)
    throw new HttpError(400, "form field AccountSid is not the configured Twilio account");
  return { messageSid };
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
