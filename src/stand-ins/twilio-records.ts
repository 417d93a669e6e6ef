/** The Twilio stand-in's records: its numbers and the messages it holds. */
export interface StandInNumber {
  sid: string;
  phone_number: string;
  friendly_name: string;
  sms_url: string;
  sms_method: string;
  sms_application_sid: string;
  capabilities: { voice: boolean; sms: boolean; mms: boolean; fax: boolean };
}

export interface StandInMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  status: string;
  statusCallback?: string;
  errorCode: number | null;
  /** Statuses revealed one per GET, as a real message progresses. */
  progress: { status: string; errorCode?: number }[];
  direction: "inbound" | "outbound-api";
  dateSent: Date;
  numMedia?: number;
  /** What Twilio got when it fetched each MediaUrl of an outbound MMS. */
  fetchedMedia?: { url: string; status: number; contentType: string; bytes: Buffer }[];
}
