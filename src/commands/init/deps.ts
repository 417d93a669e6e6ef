import type { ChannelApiClient } from "../../clients/front-channel-api.js";
import type { FrontClient } from "../../clients/front.js";
import type { TwilioCredentials, TwilioGateway } from "../../clients/twilio.js";
import type { Prompter } from "./prompter.js";

/** What init talks to: a person (the prompter) and the vendors' clients, each replaceable in tests. */
export interface InitDeps {
  prompter: Prompter;
  createFront?: (token: string, baseUrl: string) => FrontClient;
  createChannelApi?: (app: {
    appUid: string;
    appSecret: string;
    baseUrl: string;
  }) => ChannelApiClient;
  createTwilio?: (credentials: TwilioCredentials & { baseUrl?: string }) => TwilioGateway;
}
