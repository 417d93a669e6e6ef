import { maskSecret } from "./log.js";

/** Where the user reads the path token of /front/<token> in full; every other output masks it. */
export const REVEAL_WEBHOOK_TOKEN = "`front-twilio config get front.webhookToken`";

/** `…/front/<token>…` with the token masked: `/front/••••abcd`. */
export function maskFrontPath(text: string): string {
  return text.replace(/\/front\/([^/?#\s]+)/g, (_, token: string) => `/front/${maskSecret(token)}`);
}
