/** The setting flags `init` accepts; each also has an environment variable (config/schema.ts). */
export const INIT_FLAGS = [
  "--front-mode",
  "--front-token",
  "--front-channel",
  "--front-inbox",
  "--front-webhook-secret",
  "--front-app-uid",
  "--front-app-secret",
  "--twilio-account-sid",
  "--twilio-auth-token",
  "--twilio-api-key",
  "--twilio-api-secret",
  "--twilio-number",
  "--default-country",
  "--public-url",
  "--port",
] as const;
