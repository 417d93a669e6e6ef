// Shared by the bench client and the servers it starts.
export const WEBHOOK_TOKEN = "bench-webhook-token-0123456789abcdef";
