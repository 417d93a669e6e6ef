import type { IncomingMessage } from "node:http";

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export type Handler = (
  req: IncomingMessage,
  params: Record<string, string>,
) => Promise<HttpResponse>;

/** An expected rejection with its exact status; the server answers `{ "error": message }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/** Twilio reads text/plain as a reply to send to the customer, so acks are empty TwiML. */
export function emptyTwiml(): HttpResponse {
  return {
    status: 200,
    headers: { "content-type": "text/xml" },
    body: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
  };
}

export function requireContentType(req: IncomingMessage, expected: string): void {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== expected) {
    throw new HttpError(415, `expected Content-Type ${expected}, got ${type || "none"}`);
  }
}

/** Reads the raw bytes (signatures are checked on them), refusing bodies over `limit`. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    throw tooLarge(req, limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(req, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Drops the rest of an oversized body and closes the connection rather than reading it all. */
function tooLarge(req: IncomingMessage, limit: number): HttpError {
  req.resume();
  return new HttpError(413, `body over the ${limit}-byte limit`, { connection: "close" });
}
