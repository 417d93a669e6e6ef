/**
 * The dedupe keys of the store's jobs: one piece of work, one key, whoever looks it up (the
 * bridge, reconcile, send-test, the report's facts).
 */
export function inboundKey(messageSid: string): string {
  return `in:${messageSid}`;
}

/** An agent's message to one recipient: retries of Front's event carry the same message id. */
export function outboundKey(frontMessageId: string, recipient: string): string {
  return `out:${frontMessageId}:${recipient}`;
}
