import { randomBytes } from "node:crypto";
import type { Store } from "../store/store.js";

const KEY = "media.secret";

/** The key of /media/<token> signatures: made once, kept in the store so restarts honour old URLs. */
export async function mediaSecret(store: Store): Promise<string> {
  const existing = await store.getMeta(KEY);
  if (existing) return existing;
  const secret = randomBytes(32).toString("base64url");
  await store.setMeta(KEY, secret);
  return secret;
}
