import { request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, expect } from "vitest";
import { CUSTOMER, startHarness, type Harness } from "../helpers/harness.js";

/**
 * Shared pieces of the fuzz suite: a raw HTTP client (any bytes, any path, no retries), a snapshot
 * of what a request could change in the store, and generators of hostile bodies.
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** One request on its own connection; a stall longer than `timeoutMs` fails the property. */
export function rawRequest(
  baseUrl: string,
  input: RawRequest,
  timeoutMs = 10_000,
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method: input.method,
        path: input.path,
        // Node sends a DELETE body unframed unless told its length.
        headers: {
          ...(input.body === undefined ? {} : { "content-length": Buffer.byteLength(input.body) }),
          ...input.headers,
        },
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(input.body);
  });
}

/**
 * One harness for a whole file (starting one per run would dominate the time); the stand-ins must
 * not have seen a request that breaks the vendors' contracts, and the bridge must still answer.
 */
export function useFuzzHarness(options: Parameters<typeof startHarness>[0] = {}): Harness {
  let current: Harness | undefined;
  beforeAll(async () => {
    current = await startHarness(options);
  });
  afterAll(async () => {
    if (!current) return;
    await expectHealthy(current);
    await current.close();
    expect(current.front.violations).toEqual([]);
    expect(current.twilio.violations).toEqual([]);
  });
  return new Proxy({} as Harness, { get: (_, key) => Reflect.get(current!, key) as unknown });
}

export const TWILIO_NUMBER = "+14155550100";
const META_KEYS = ["application.channelId", "application.removedChannelId", "media.secret"];

/**
 * What a request could change, minus what the worker changes on its own (job states, attempts):
 * every job's identity and payload, the metadata, message links and opt-outs of the given ids.
 */
export async function snapshot(h: Harness, watch: { sids?: string[]; customers?: string[] } = {}) {
  const jobs = (await h.store.list({ limit: 1_000_000 }))
    .map((j) => `${j.kind} ${j.dedupeKey} ${j.route} ${j.orderKey} ${JSON.stringify(j.payload)}`)
    .sort();
  return {
    jobs,
    meta: await Promise.all(META_KEYS.map(async (key) => [key, await h.store.getMeta(key)])),
    messages: await Promise.all(
      (watch.sids ?? []).map(async (sid) => (await h.store.findMessage(sid)) ?? null),
    ),
    optOuts: await Promise.all(
      [CUSTOMER, ...(watch.customers ?? [])].map(async (c) => [
        c,
        await h.store.isOptedOut(c, TWILIO_NUMBER),
      ]),
    ),
  };
}

/** Waits (bounded) until the worker has nothing in hand, so it changes nothing during a check. */
export async function quiesce(h: Harness, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { pending, running } = await h.store.summary();
    if (pending + running === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function describeRequest(input: RawRequest): string {
  const body = input.body === undefined ? "" : input.body.toString();
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body;
  return `${input.method} ${input.path} ${JSON.stringify(input.headers ?? {})} ${shown}`;
}

/**
 * The properties every route shares: an answer below 500, and a refused request (4xx) leaves the
 * store as it was. `accepted4xx` names 4xx answers that report partial work (and may change it).
 */
export async function checkRequest(
  h: Harness,
  input: RawRequest,
  options: {
    watch?: Parameters<typeof snapshot>[1];
    accepted4xx?: (response: RawResponse) => boolean;
  } = {},
): Promise<RawResponse> {
  await quiesce(h);
  const before = await snapshot(h, options.watch);
  const response = await rawRequest(h.publicUrl, input);
  const what = `${describeRequest(input)} -> ${response.status} ${response.body.slice(0, 200)}`;
  expect(response.status, what).toBeGreaterThanOrEqual(200);
  expect(response.status, what).toBeLessThan(500);
  if (response.status >= 400 && !options.accepted4xx?.(response)) {
    expect(await snapshot(h, options.watch), `store changed by a refused request: ${what}`).toEqual(
      before,
    );
  }
  return response;
}

/** The bridge still answers after a batch of hostile requests. */
export async function expectHealthy(h: Harness): Promise<void> {
  const response = await rawRequest(h.publicUrl, { method: "GET", path: "/healthz" });
  expect(response.status).toBe(200);
}

/** fast-check settings: NUM_RUNS / FC_SEED from the environment to dig deeper or replay. */
export function runs(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };
  const scale = Number(process.env.FUZZ_SCALE ?? 1) || 1;
  return { numRuns: Math.max(1, Math.round(numRuns * scale)), ...seed };
}

/** Text that stresses parsers: escapes, entities, separators, unicode, lone surrogates. */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        "%",
        "%2",
        "%zz",
        "%E0%A4%A",
        "%ED%A0%80",
        "%00",
        "+",
        "&",
        "=",
        "&#99999999;",
        "&#x110000;",
        "&#0;",
        "&amp;",
        "&lt;",
        "<",
        ">",
        "<p>",
        "</p>",
        "<br/>",
        "\u0000",
        "\ud800",
        "💥",
        "\r\n",
        "[",
        "{",
        '"',
        "a",
        "0",
        " ",
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join("")),
  fc.constantFrom("", " ", "null", "undefined", "NaN", "-1", "1e999", "0x10", "[]", "{}"),
);

/** Percent-encoding that survives lone surrogates (they become U+FFFD, as on the wire). */
const encode = (text: string) => encodeURIComponent(Buffer.from(text, "utf8").toString("utf8"));

/** A raw form body: keys from a small set (so they repeat) or random, values nasty, escapes unchecked. */
export function formBody(knownKeys: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...knownKeys), nastyText);
  const pair = fc.oneof(
    fc.tuple(key, nastyText).map(([k, v]) => `${k}=${v}`),
    fc.tuple(key, nastyText).map(([k, v]) => `${encode(k)}=${encode(v)}`),
    key,
  );
  return fc.array(pair, { maxLength: 40 }).map((pairs) => pairs.join("&"));
}

/** Arbitrary bytes, as a Buffer. */
export const bytes: fc.Arbitrary<Buffer> = fc
  .uint8Array({ maxLength: 512 })
  .map((array) => Buffer.from(array));

/** A JSON value nested `depth` deep: `[[[…]]]` or `{"a":{"a":…}}`, as text. */
export const deepJson: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? `${"[".repeat(depth)}${"]".repeat(depth)}`
      : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );

/** Any JSON value, sometimes deep, sometimes with nulls where objects belong. */
export const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3, withNullPrototype: false }).map((v) => {
    try {
      return JSON.parse(JSON.stringify(v) ?? "null") as unknown;
    } catch {
      return null;
    }
  }),
);

/** Content types a client might send, right and wrong. */
export const contentType = (right: string): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(right) },
    fc.constantFrom(
      undefined,
      `${right}; charset=utf-8`,
      right.toUpperCase(),
      "text/plain",
      "application/json",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
      ";;;",
    ),
  );

/** Headers without undefined values. */
export function headers(entries: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

/** Replaces, drops or duplicates fields of a record: the mutations of a real payload. */
export type Mutation =
  | { op: "drop"; field: string }
  | { op: "replace"; field: string; value: unknown }
  | { op: "add"; field: string; value: unknown };

export function mutations(fields: readonly string[], value: fc.Arbitrary<unknown>) {
  const field = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...fields) }, nastyText);
  return fc.array(
    fc.oneof(
      field.map((f): Mutation => ({ op: "drop", field: f })),
      fc.tuple(field, value).map(([f, v]): Mutation => ({ op: "replace", field: f, value: v })),
      fc.tuple(field, value).map(([f, v]): Mutation => ({ op: "add", field: f, value: v })),
    ),
    { minLength: 1, maxLength: 4 },
  );
}
