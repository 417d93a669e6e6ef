/**
 * Twilio's opt-out keywords (twilio-api.md §7): the message is exactly one of them, in any case.
 * With Advanced Opt-Out, Twilio says so itself in OptOutType.
 */
const STOP = new Set([
  "STOP",
  "STOPALL",
  "UNSUBSCRIBE",
  "CANCEL",
  "END",
  "QUIT",
  "REVOKE",
  "OPTOUT",
]);
const START = new Set(["START", "UNSTOP", "YES"]);

export type OptOutChange = "stop" | "start";

export function optOutChange(body: string, optOutType?: string): OptOutChange | undefined {
  const type = optOutType?.toUpperCase();
  if (type === "STOP") return "stop";
  if (type === "START") return "start";
  const word = body
    .trim()
    .replace(/[.!]+$/, "")
    .toUpperCase();
  if (STOP.has(word)) return "stop";
  if (START.has(word)) return "start";
  return undefined;
}

/** What the agent reads in Front, under the customer's message. */
export function optOutNote(change: OptOutChange, twilioNumber: string): string {
  return change === "stop"
    ? `The customer texted STOP: they have unsubscribed from SMS from ${twilioNumber}. Replies will not be sent until they text START.`
    : `The customer texted START: replies can be sent again.`;
}

export const OPTED_OUT_REASON =
  "the customer texted STOP and has unsubscribed; they must text START before you can reply (Twilio 21610)";
