import type { Clock } from "../clock.js";
import { HttpError, type Handler } from "../http/http.js";
import type { Store } from "../store/store.js";
import { verifyMediaToken } from "../webhooks/media-token.js";

/** GET /media/<token>: an agent's attachment, for Twilio to fetch, until its token expires. */
export function mediaHandler(deps: { store: Store; clock: Clock; secret: string }): Handler {
  return async (_req, params) => {
    // The token carries the expiry, so an expired copy is refused even before the sweep removes it.
    const id = verifyMediaToken(deps.secret, params.token ?? "", deps.clock.now());
    const media = id ? await deps.store.getMedia(id) : undefined;
    if (!media) throw new HttpError(404, "not found");
    return {
      status: 200,
      headers: { "content-type": media.contentType, "cache-control": "private, no-store" },
      body: media.bytes,
    };
  };
}
