/**
 * Path templates with `:name` parameters (`/front/:token`), matched segment by segment: the
 * bridge's router and the stand-ins' routes use the same rule.
 */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  return matchSegments(template.split("/"), path.split("/"));
}

/** The same on paths already split at "/" (the router splits its templates once). */
export function matchSegments(
  template: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  if (template.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of template.entries()) {
    const part = parts[i]!;
    if (segment.startsWith(":")) {
      if (part === "") return undefined;
      params[segment.slice(1)] = decodeSegment(part);
    } else if (segment !== part) return undefined;
  }
  return params;
}

/** A malformed percent-escape (`%zz`) is the client's mistake, said as such. */
export class MalformedPathError extends Error {}

function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new MalformedPathError("malformed percent-escape in the path");
  }
}
