import { matchPath } from "../http/path-match.js";
import { randomBytes } from "node:crypto";
import { type RecordedRequest, type Reply } from "./stand-in.js";

export interface StandInContact {
  id: string;
  name: string | null;
  handles: { handle: string; source: string }[];
}

/** Contacts: create, read by id or `alt:<source>:<handle>` alias, rename. */
export function contactsRoute(
  request: RecordedRequest,
  contacts: StandInContact[],
  base: string,
  error: (status: number, title: string, message: string) => Reply,
): Reply | undefined {
  const { method, path } = request;
  if (method === "POST" && path === "/contacts") {
    const body = request.body as {
      name?: string;
      handles?: { handle: string; source: string }[];
    };
    const contact = {
      id: `crd_${randomBytes(4).toString("hex")}`,
      name: body.name ?? null,
      handles: body.handles ?? [],
    };
    contacts.push(contact);
    return {
      status: 201,
      body: { ...contact, _links: { self: `${base}/contacts/${contact.id}` } },
    };
  }
  const params = matchPath("/contacts/:id", path);
  if (params) {
    const key = params.id!;
    const contact = contacts.find(
      (c) => c.id === key || c.handles.some((h) => `alt:${h.source}:${h.handle}` === key),
    );
    if (!contact) return error(404, "Not found", `Unknown contact ID ${key}`);
    if (method === "GET")
      return {
        status: 200,
        body: { ...contact, _links: { self: `${base}/contacts/${contact.id}` } },
      };
    if (method === "PATCH") {
      const name = (request.body as { name?: string }).name;
      if (name !== undefined) contact.name = name;
      return { status: 204 };
    }
  }
  return undefined;
}
