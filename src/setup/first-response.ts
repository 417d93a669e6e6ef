import {
  createFrontTagsClient,
  type FrontRule,
  type FrontTag,
  type FrontTagsClient,
} from "../clients/front-tags.js";
import { FrontApiError } from "../clients/front-errors.js";
import { UpstreamError, errorMessage } from "../errors.js";
import { FIRST_RESPONSE_TAG } from "../report/figures.js";

export { FIRST_RESPONSE_TAG };

/**
 * `init` and `routes add`: the tag the auto first-reply rule adds (docs/features.md), created
 * when the token can; a token that cannot is a warning, not a failed setup.
 */
export async function setUpFirstResponseTag(
  token: string | undefined,
  baseUrl: string,
  say: { ok: (line: string) => void; warn: (line: string) => void },
): Promise<void> {
  if (!token) return;
  try {
    const { tag, created } = await ensureFirstResponseTag(
      createFrontTagsClient({ token, baseUrl }),
    );
    say.ok(
      `Front tag ${tag.name} ${created ? "created" : "exists"} (for the auto first-reply rule)`,
    );
  } catch (error) {
    say.warn(
      `Could not create the Front tag ${FIRST_RESPONSE_TAG} (${errorMessage(error)}); the token needs tags:read and tags:write, or create it in Front.`,
    );
  }
}

/** Creates the first-response tag when the company has none of that name. */
export async function ensureFirstResponseTag(
  front: Pick<FrontTagsClient, "listTags" | "createTag">,
): Promise<{ tag: FrontTag; created: boolean }> {
  const existing = (await front.listTags()).find((tag) => tag.name === FIRST_RESPONSE_TAG);
  if (existing) return { tag: existing, created: false };
  const tag = await front.createTag(
    FIRST_RESPONSE_TAG,
    "Added by the rule that sends the automatic first SMS reply (front-twilio)",
  );
  return { tag, created: true };
}

// Front's API describes a rule's actions in words only ("Tag with X", "Send auto-reply …"), so
// the check reads the words: a rule qualifies when one action replies and another adds the tag.
const REPLIES = /\b(auto-?reply|reply|respond|send)\b/i;
const tags = (action: string) => /\btag/i.test(action) && action.includes(FIRST_RESPONSE_TAG);

export const FIRST_RESPONSE_STEPS = [
  "Front → Settings → Rules → New rule (team or company rule)",
  '"When": Inbound message received, in the SMS inbox',
  `"If": the conversation does not have the tag ${FIRST_RESPONSE_TAG}`,
  `"Then": Send auto-reply with your text (under 160 characters for one SMS), and Add tag ${FIRST_RESPONSE_TAG}`,
];

/** The rule that qualifies, if one does. */
export function firstResponseRule(rules: FrontRule[]): FrontRule | undefined {
  return rules.find(
    (rule) => rule.actions.some(tags) && rule.actions.some((a) => !tags(a) && REPLIES.test(a)),
  );
}

/**
 * Whether a Front rule sends the automatic first reply and adds the first-response tag (so each
 * conversation gets one, and `report` can count them). Fails with the steps in Front's UI.
 */
export async function checkFirstResponseRule(
  front: Pick<FrontTagsClient, "listRules">,
): Promise<string> {
  const rules = await front.listRules().catch((error: unknown) => {
    if (error instanceof FrontApiError && error.status === 403)
      throw new UpstreamError(
        "Front refused to list the rules (403): the API token lacks rules:read.",
        {
          hint: "In Front, Settings → Developers → API tokens: add the rules:read scope to the token.",
        },
      );
    throw error;
  });
  const rule = firstResponseRule(rules);
  if (rule) return `rule "${rule.name}" replies automatically and adds ${FIRST_RESPONSE_TAG}`;
  const partial = rules.find((r) => r.actions.some(tags));
  throw new UpstreamError(
    partial
      ? `rule "${partial.name}" adds ${FIRST_RESPONSE_TAG} but sends no automatic reply`
      : `no Front rule sends an automatic first reply and adds the tag ${FIRST_RESPONSE_TAG}`,
    { hint: `${FIRST_RESPONSE_STEPS.join("; then ")}.` },
  );
}
