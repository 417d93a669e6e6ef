import type { IncomingMessage } from "node:http";
import { HttpError, type Handler, type HttpResponse } from "./http.js";
import { matchSegments, MalformedPathError } from "./path-match.js";

export interface Endpoint {
  method: "GET" | "POST" | "DELETE";
  /** Literal segments and `:name` parameters, e.g. `/front/:token`. */
  path: string;
  handler: Handler;
}

/** Method + path table: 404 for an unknown path, 405 (with Allow) for a known path's wrong method. */
export function createRouter(endpoints: readonly Endpoint[]) {
  const compiled = endpoints.map((endpoint) => ({
    ...endpoint,
    segments: endpoint.path.split("/"),
  }));
  return async (req: IncomingMessage): Promise<HttpResponse> => {
    const path = pathOf(req.url ?? "/");
    const parts = path.split("/");
    const matches = compiled
      .map((endpoint) => ({ endpoint, params: paramsOf(endpoint.segments, parts) }))
      .filter(
        (m): m is { endpoint: (typeof compiled)[number]; params: Record<string, string> } =>
          !!m.params,
      );
    if (matches.length === 0) throw new HttpError(404, "not found");
    const found = matches.find((m) => m.endpoint.method === req.method);
    if (!found) {
      const allow = matches.map((m) => m.endpoint.method).join(", ");
      throw new HttpError(405, `use ${allow}`, { allow });
    }
    return found.endpoint.handler(req, found.params);
  };
}

/** The request's path; a request target that is not a path (`*`, `http://…`, `//x`) matches no route. */
function pathOf(target: string): string {
  if (!target.startsWith("/") || target.startsWith("//")) throw new HttpError(404, "not found");
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

function paramsOf(template: string[], parts: string[]): Record<string, string> | undefined {
  try {
    return matchSegments(template, parts);
  } catch (error) {
    if (error instanceof MalformedPathError) throw new HttpError(400, error.message);
    throw error;
  }
}
