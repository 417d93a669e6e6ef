import type { IncomingNumber, MessagingService, TwilioGateway } from "../clients/twilio.js";
import { TwilioApiError } from "../clients/twilio-errors.js";
import { UpstreamError } from "../errors.js";

/** Something that would send inbound SMS somewhere other than the number's SMS URL. */
export type Diversion =
  | {
      kind: "sms-application";
      applicationSid: string;
      problem: string;
      fix: string;
      automatic: false;
    }
  | {
      kind: "conversations";
      configurationSid: string;
      problem: string;
      fix: string;
      automatic: false;
    }
  | {
      kind: "messaging-service";
      service: MessagingService;
      problem: string;
      fix: string;
      automatic: true;
    };

const CREDENTIALS_HINT =
  "Use the live Account SID (AC…) and Auth Token from the Twilio Console (--twilio-account-sid, --twilio-auth-token or TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN); an API key needs --twilio-api-key and --twilio-api-secret as well.";

function twilioFailure(error: unknown): UpstreamError {
  if (error instanceof TwilioApiError) {
    if (error.status === 401 || error.code === 20003) {
      return new UpstreamError(`Twilio rejected the credentials (${error.explanation}).`, {
        hint: CREDENTIALS_HINT,
        cause: error,
        code: "credentials_rejected",
      });
    }
    if (error.status === 403) {
      return new UpstreamError(
        `Twilio refused to list the account's numbers (${error.explanation}).`,
        {
          hint: "Test credentials and restricted API keys cannot read phone numbers; use the live Account SID and Auth Token (or a Standard API key).",
          cause: error,
        },
      );
    }
  }
  return new UpstreamError(
    `Twilio API call failed: ${error instanceof Error ? error.message : String(error)}`,
    {
      hint: "Check the network (TWILIO_API_URL overrides the API host) and try again.",
      cause: error,
    },
  );
}

/** The account's SMS-capable numbers; listing them also proves the credentials (works with Standard keys). */
export async function listSmsNumbers(twilio: TwilioGateway): Promise<IncomingNumber[]> {
  try {
    return (await twilio.listIncomingNumbers()).filter((n) => n.capabilities.sms !== false);
  } catch (error) {
    throw twilioFailure(error);
  }
}

/** The number must be on the account and able to receive SMS. */
export async function checkTwilioNumber(
  twilio: TwilioGateway,
  phoneNumber: string,
): Promise<IncomingNumber> {
  let number: IncomingNumber | undefined;
  try {
    number = await twilio.findIncomingNumber(phoneNumber);
  } catch (error) {
    throw twilioFailure(error);
  }
  if (!number) {
    throw new UpstreamError(`${phoneNumber} is not a phone number on this Twilio account.`, {
      hint: "Check --twilio-number (TWILIO_PHONE_NUMBER) and that the Account SID is the account that owns it; run `front-twilio init` to pick from the account's numbers.",
    });
  }
  if (number.capabilities.sms === false) {
    throw new UpstreamError(
      `${phoneNumber} cannot receive SMS (Twilio lists it without the SMS capability).`,
      {
        hint: "Pick an SMS-capable number with --twilio-number.",
      },
    );
  }
  return number;
}

/** SMS applications and Messaging Services that take precedence over the number's SMS URL. */
export async function findDiversions(
  twilio: TwilioGateway,
  number: IncomingNumber,
): Promise<Diversion[]> {
  const diversions: Diversion[] = [];
  if (number.smsApplicationSid) {
    diversions.push({
      kind: "sms-application",
      applicationSid: number.smsApplicationSid,
      problem: `${number.phoneNumber} uses the SMS application ${number.smsApplicationSid}, so Twilio ignores its SMS URL.`,
      // Twilio's published contract only accepts an AP… SID here, so clearing it is left to a person.
      fix: "remove the SMS application from the number in the Twilio Console (Phone Numbers → Manage → Active numbers → the number → Messaging)",
      automatic: false,
    });
  }
  let service: MessagingService | undefined;
  try {
    service = await twilio.findServiceOfNumber(number.sid);
  } catch (error) {
    throw twilioFailure(error);
  }
  if (service && !service.useInboundWebhookOnNumber) {
    diversions.push({
      kind: "messaging-service",
      service,
      problem: `${number.phoneNumber} is in the Messaging Service "${service.friendlyName}" (${service.sid}), which sends inbound messages to ${service.inboundRequestUrl ?? "its own integration"} instead of the number's SMS URL.`,
      fix: `set the service's integration to "Defer to sender's webhook" (use_inbound_webhook_on_number=true); this applies to every sender in the service`,
      automatic: true,
    });
  }
  let autoCreation: { sid: string; friendlyName: string } | undefined;
  try {
    autoCreation = await twilio.findConversationsAutoCreation(number.phoneNumber);
  } catch (error) {
    // Accounts without Conversations (or keys without access) answer 403/404: nothing to divert.
    if (
      !(error instanceof TwilioApiError) ||
      error.status >= 500 ||
      error.status === 0 ||
      error.status === 401
    )
      throw twilioFailure(error);
  }
  if (autoCreation) {
    diversions.push({
      kind: "conversations",
      configurationSid: autoCreation.sid,
      problem: `${number.phoneNumber} has a Conversations address configuration (${autoCreation.friendlyName || autoCreation.sid}) that auto-creates a Conversation for each inbound SMS, so the messages never reach the number's SMS URL.`,
      fix: "turn off auto-creation for the address (or delete it) in the Twilio Console: Conversations → Manage → Addresses",
      automatic: false,
    });
  }
  return diversions;
}

/** Applies the fixes that can be made through the API. */
export async function removeDiversions(
  twilio: TwilioGateway,
  diversions: Diversion[],
): Promise<void> {
  try {
    for (const diversion of diversions) {
      if (diversion.kind === "messaging-service")
        await twilio.deferServiceToNumberWebhook(diversion.service.sid);
    }
  } catch (error) {
    throw twilioFailure(error);
  }
}

/**
 * A route that sends through a Messaging Service: the number must be one of the service's senders
 * (Twilio refuses a pinned `From` outside the pool), and the service must let the number's SMS URL
 * receive (or send inbound to the bridge itself).
 */
export async function checkServiceOfNumber(
  twilio: TwilioGateway,
  number: IncomingNumber,
  serviceSid: string,
): Promise<MessagingService> {
  let service: MessagingService | undefined;
  try {
    service = await twilio.findServiceOfNumber(number.sid);
  } catch (error) {
    throw twilioFailure(error);
  }
  if (service?.sid !== serviceSid)
    throw new UpstreamError(
      `${number.phoneNumber} is not a sender of the Messaging Service ${serviceSid}${service ? ` (it is in ${service.sid}, "${service.friendlyName}")` : ""}.`,
      {
        hint: `Add the number to the service's sender pool in the Twilio Console (Messaging → Services → ${serviceSid} → Sender Pool), or pass the service it is in with --messaging-service.`,
      },
    );
  return service;
}
