import { HttpError } from "./http.js";

/** Deeper than any Front payload (a few levels); deep enough for whatever Front adds. */
export const MAX_JSON_DEPTH = 64;

/**
 * Parses a JSON body after one linear scan has bounded its nesting, so that no later step (the
 * parser, a walk over the value, JSON.stringify) can recurse out of stack on hostile input.
 */
export function parseJsonBody(raw: Buffer, maxDepth = MAX_JSON_DEPTH): unknown {
  if (nestingDepth(raw) > maxDepth)
    throw new HttpError(400, `body is nested deeper than ${maxDepth} levels`);
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    throw new HttpError(400, "body is not valid JSON");
  }
}

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of `{` and `[` outside strings; malformed input is left to the parser. */
export function nestingDepth(raw: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) deepest = Math.max(deepest, ++depth);
    else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
  }
  return deepest;
}
