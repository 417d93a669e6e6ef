import type { FrontChannelResource, FrontClient } from "../clients/front.js";
import { FrontApiError } from "../clients/front-errors.js";
import { UpstreamError, errorMessage } from "../errors.js";
import type { ChannelApiClient } from "../clients/front-channel-api.js";

/** What init and doctor learn about the Front side. */
export interface FrontFacts {
  company: string;
  channel: FrontChannelResource;
  inboxId?: string;
  inboxName?: string;
}

const TOKEN_HINT =
  "Create a Core API token in Front (Settings → Developers → API tokens) with channels, messages and comments scopes, and pass it with --front-token or FRONT_API_TOKEN.";

/** `GET /me`: proves the token, and names the company it belongs to. */
export async function checkFrontToken(front: FrontClient): Promise<string> {
  try {
    return (await front.me()).name;
  } catch (error) {
    if (error instanceof FrontApiError && (error.status === 401 || error.status === 403)) {
      throw new UpstreamError(`Front rejected the API token (${error.message}).`, {
        hint: TOKEN_HINT,
        cause: error,
        code: "credentials_rejected",
      });
    }
    throw unreachable(front, error);
  }
}

/** The custom channels of the company, for a person to pick from. */
export async function listCustomChannels(front: FrontClient): Promise<FrontChannelResource[]> {
  try {
    return (await front.listChannels()).filter((channel) => channel.type === "custom");
  } catch (error) {
    throw unreachable(front, error);
  }
}

/**
 * `GET /channels/{id}`: the channel must exist, be a custom channel and be valid; its inbox comes
 * from the channel's links and must match the inbox the user named, if any.
 */
export async function checkChannel(
  front: FrontClient,
  channelId: string,
  expectedInboxId?: string,
): Promise<Omit<FrontFacts, "company">> {
  let channel: FrontChannelResource;
  try {
    channel = await front.getChannel(channelId);
  } catch (error) {
    if (error instanceof FrontApiError && error.status === 404) {
      throw new UpstreamError(`Front has no channel ${channelId} (${error.message}).`, {
        hint: "Check the ID (cha_…) in Front under Settings → Inboxes → Channels, or run `front-twilio init` to pick one from a list.",
      });
    }
    throw unreachable(front, error);
  }
  if (channel.type !== "custom") {
    throw new UpstreamError(
      `Channel ${channelId} ("${channel.name ?? ""}") is a ${channel.type} channel, not a custom channel.`,
      {
        hint: "Add a Custom channel to a team inbox in Front and use its ID with --front-channel.",
      },
    );
  }
  if (channel.is_valid === false) {
    throw new UpstreamError(`Front says channel ${channelId} is not valid.`, {
      hint: "Open the channel's settings in Front and fix what Front reports, then run init again.",
    });
  }
  const inboxId = /\/inboxes\/([^/?#]+)/.exec(channel._links?.related?.inbox ?? "")?.[1];
  if (expectedInboxId && inboxId && expectedInboxId !== inboxId) {
    throw new UpstreamError(
      `Channel ${channelId} belongs to inbox ${inboxId}, not to ${expectedInboxId}.`,
      {
        hint: `Use --front-inbox ${inboxId} (or leave it out), or pick the channel that belongs to ${expectedInboxId}.`,
      },
    );
  }
  const facts: Omit<FrontFacts, "company"> = { channel };
  if (inboxId) {
    facts.inboxId = inboxId;
    facts.inboxName = await front.getInbox(inboxId).then(
      (inbox) => inbox.name,
      () => inboxId, // the token may lack inboxes:read; the ID is enough
    );
  }
  return facts;
}

function unreachable(front: FrontClient, error: unknown): UpstreamError {
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError(`Front API call failed: ${message}`, {
    hint: `Check the network and ${front.baseUrl} (FRONT_API_URL overrides it), then try again.`,
    cause: error,
  });
}

/**
 * Proves an application channel's App UID and secret with a harmless Channel API write
 * (`PATCH /channels/{id}` status ok, front-api.md §6).
 */
export async function checkAppCredentials(api: ChannelApiClient, channelId: string): Promise<void> {
  try {
    await api.setStatus(channelId, "ok");
  } catch (error) {
    throw new UpstreamError(
      `Front refused the app's credentials for channel ${channelId}: ${errorMessage(error)}`,
      {
        hint: "Check front.appUid and front.appSecret (--front-app-uid, --front-app-secret or FRONT_APP_UID, FRONT_APP_SECRET) against the app in Front (Settings → Developers → your app → Basic information), and the channel id.",
      },
    );
  }
}
