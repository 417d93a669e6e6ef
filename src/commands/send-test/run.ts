export interface SendTestOptions {
  to: string;
  /** The route to prove (by number or channel); required when there are several. */
  route?: string;
  body?: string;
  inbound?: boolean;
  viaBridge?: boolean;
  timeoutSeconds?: number;
}

/** Exit codes: 0 delivery proven, 1 delivery failed (or a setup error), 3 not proven in time. */
export const NOT_PROVEN = 3;

/** A send-test run: the options, the recipient in E.164 and the time it may take. */
export type Run = SendTestOptions & { to: string; timeoutMs: number };
