/** Twilio error codes in plain words, for agents and operators (twilio-api.md §4.5). */
const EXPLANATIONS: Record<number, string> = {
  20003:
    "Twilio rejected the bridge's credentials (Account SID, Auth Token or API key); the admin must fix them",
  20404: "Twilio could not find that resource",
  20429: "Twilio is rate limiting the account; the message will be retried",
  21211: "the 'To' number is not a valid phone number",
  21408: "sending to this country is not enabled on the Twilio account (Geo Permissions)",
  21602: "the message has no text and no attachment",
  21606: "the bridge's 'From' number cannot send messages to this destination",
  21608: "the Twilio account is a trial and this number is not verified",
  21610: "the customer texted STOP and has unsubscribed; they must text START before you can reply",
  21612: "Twilio cannot route a message between these two numbers",
  21614: "the number is not a mobile number (a landline or invalid), so it cannot receive SMS",
  21617: "the message is longer than 1600 characters",
  21635: "the number is a landline and cannot receive SMS",
  30003: "the customer's phone is unreachable (switched off or out of coverage)",
  30004: "the message was blocked by the customer or their carrier",
  30005: "the customer's number does not exist or is no longer in service",
  30006: "the number is a landline or its carrier cannot receive SMS",
  30007: "the carrier filtered the message as spam; rephrase it or check the sender registration",
  30008: "the carrier reported an unknown delivery error",
  30032: "the toll-free number has not been verified",
  30034: "the sending number is not registered for US A2P 10DLC messaging",
};

export function explainTwilioError(code: number | undefined, fallback?: string): string {
  if (code !== undefined && EXPLANATIONS[code]) return `${EXPLANATIONS[code]} (Twilio ${code})`;
  if (code !== undefined) return `${fallback ?? "Twilio reported an error"} (Twilio ${code})`;
  return fallback ?? "Twilio reported an error";
}

/** A failed Twilio call. status 0 means no HTTP answer (network error or timeout). */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = "TwilioApiError";
  }

  /** 429, 5xx and network errors may succeed later; other 4xx will not. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500 || this.code === 20429;
  }

  get explanation(): string {
    return explainTwilioError(this.code, this.message);
  }
}

/** Maps RestException, TwilioServiceException and raw axios errors onto TwilioApiError. */
export function toTwilioApiError(error: unknown): TwilioApiError {
  if (error instanceof TwilioApiError) return error;
  const e = error as { status?: unknown; code?: unknown; message?: unknown; detail?: unknown };
  if (typeof e.status === "number") {
    const code = typeof e.code === "number" ? e.code : undefined;
    const message =
      typeof e.message === "string" && e.message
        ? e.message
        : typeof e.detail === "string"
          ? e.detail
          : "";
    return new TwilioApiError(e.status, code, message || `Twilio answered ${e.status}`);
  }
  const reason = typeof e.code === "string" ? e.code : String(e.message ?? error);
  return new TwilioApiError(0, undefined, `Twilio could not be reached (${reason})`);
}
