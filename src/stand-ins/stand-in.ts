import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseForm } from "../webhooks/form.js";

/**
 * Local stand-ins for Front and Twilio: small node:http servers on 127.0.0.1 that record every
 * request, answer like the real API, can fail on demand (429, 5xx, hangs) and check each request
 * against the vendor's OpenAPI document when given a validator. Used by the tests and `demo`.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** JSON or form fields (repeated names as arrays); multipart fields nested by their brackets. */
  body: unknown;
  /** The files of a multipart body, in order. */
  files?: UploadedFile[];
}

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Fault extends Partial<Reply> {
  /** Never answer (until the stand-in closes): a timeout as the client sees it. */
  hang?: boolean;
  delayMs?: number;
}

export type Validator = (request: RecordedRequest) => string[];

export interface StandIn {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests that broke the API contract, with the rule each one broke. */
  readonly violations: string[];
  /** The next requests matching `match` get these answers, in order, before normal handling resumes. */
  fail(match: (request: RecordedRequest) => boolean, ...faults: Fault[]): void;
  /** Resolves with the matching requests once there are `count` of them. */
  waitFor(
    match: (request: RecordedRequest) => boolean,
    count?: number,
    timeoutMs?: number,
  ): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export async function startStandIn(
  handle: (request: RecordedRequest) => Reply | Promise<Reply>,
  options: { validate?: Validator; port?: number } = {},
): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const faults: { match: (r: RecordedRequest) => boolean; fault: Fault }[] = [];
  const waiters = new Set<() => void>();
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => void record());
    async function record() {
      const url = new URL(req.url ?? "/", "http://stand-in");
      const rawBody = Buffer.concat(chunks);
      const multipart = await parseMultipart(req.headers["content-type"], rawBody);
      const request: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        rawBody,
        body: multipart?.fields ?? parseBody(req.headers["content-type"], rawBody),
        ...(multipart ? { files: multipart.files } : {}),
      };
      requests.push(request);
      const broken = options.validate?.(request) ?? [];
      violations.push(...broken.map((rule) => `${request.method} ${request.path}: ${rule}`));
      const index = faults.findIndex((f) => f.match(request));
      const fault = index >= 0 ? faults.splice(index, 1)[0]!.fault : undefined;
      void respond(request, fault, res, broken).finally(() => waiters.forEach((wake) => wake()));
    }
  });

  async function respond(
    request: RecordedRequest,
    fault: Fault | undefined,
    res: ServerResponse,
    broken: string[],
  ) {
    if (fault?.hang) {
      hanging.add(res);
      return;
    }
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    let reply: Reply;
    if (broken.length > 0) reply = { status: 400, body: { contract_violation: broken } };
    else if (fault?.status)
      reply = { status: fault.status, headers: fault.headers ?? {}, body: fault.body };
    else reply = await handle(request);
    const raw = typeof reply.body === "string" || Buffer.isBuffer(reply.body);
    const body =
      reply.body === undefined
        ? ""
        : raw
          ? (reply.body as string | Buffer)
          : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...(body && !raw ? { "content-type": "application/json" } : {}),
      ...reply.headers,
    });
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    fail: (match, ...list) => faults.push(...list.map((fault) => ({ match, fault }))),
    waitFor(match, count = 1, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = requests.filter(match);
          if (found.length < count) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `stand-in: waited ${timeoutMs} ms for ${count} matching request(s), saw ${requests.filter(match).length}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseBody(contentType: string | undefined, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const type = (contentType ?? "").split(";")[0]!.trim();
  if (type === "application/json") {
    try {
      return JSON.parse(raw.toString("utf8"));
    } catch {
      return undefined;
    }
  }
  return type === "application/x-www-form-urlencoded" ? parseForm(raw) : undefined;
}

/**
 * multipart/form-data as Front's convention writes it: `sender[handle]` becomes
 * `{ sender: { handle } }` and each file field `attachments[n]` an entry holding its file name.
 */
async function parseMultipart(
  contentType: string | undefined,
  raw: Buffer,
): Promise<{ fields: Record<string, unknown>; files: UploadedFile[] } | undefined> {
  if (!contentType?.startsWith("multipart/form-data")) return undefined;
  const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  const fields: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for (const [name, value] of form.entries()) {
    const keys = name.replace(/\]/g, "").split("[");
    let entry: unknown = value;
    if (typeof value !== "string") {
      const file = value as File;
      files.push({
        field: name,
        filename: file.name,
        contentType: file.type,
        bytes: Buffer.from(await file.arrayBuffer()),
      });
      entry = file.name;
    }
    let target = fields;
    keys.slice(0, -1).forEach((key, i) => {
      const nextIsIndex = /^\d+$/.test(keys[i + 1]!);
      target[key] ??= nextIsIndex ? [] : {};
      target = target[key] as Record<string, unknown>;
    });
    target[keys.at(-1)!] = entry;
  }
  return { fields, files };
}
