import fc from "fast-check";
import { METHODS as NODE_METHODS } from "node:http";
import { describe, expect, it } from "vitest";
import { WEBHOOK_TOKEN } from "../helpers/harness.js";
import { bytes, checkRequest, expectHealthy, nastyText, runs, useFuzzHarness } from "./kit.js";

const METHODS = [
  "GET",
  "POST",
  "PUT",
  "DELETE",
  "PATCH",
  "OPTIONS",
  "HEAD",
  "TRACE",
  "PROPFIND",
  "FOO",
];

/** The route table, as product.md §5 gives it (custom mode: POST only on /front/<token>). */
const KNOWN: { path: RegExp; methods: string[] }[] = [
  { path: /^\/twilio\/sms$/, methods: ["POST"] },
  { path: /^\/twilio\/status$/, methods: ["POST"] },
  { path: /^\/front\/[^/]+$/, methods: ["POST"] },
  { path: /^\/media\/[^/]+$/, methods: ["GET"] },
  { path: /^\/healthz$/, methods: ["GET"] },
  { path: /^\/metrics$/, methods: ["GET"] },
];

const cleanSegment = fc.oneof(
  fc.constantFrom(
    "twilio",
    "sms",
    "status",
    "front",
    WEBHOOK_TOKEN,
    "media",
    "healthz",
    "metrics",
    "",
    "..",
    ".",
  ),
  fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,20}$/),
  fc.constantFrom("%2F", "%2e%2e", "%41", "%00"),
  nastyText.map((text) => encodeURIComponent(Buffer.from(text).toString())),
);
/** Paths with well-formed escapes that do not start with "//" (those have their own property). */
const cleanPath = fc
  .oneof(
    fc.array(cleanSegment, { maxLength: 5 }).map((parts) => `/${parts.join("/")}`),
    fc.constantFrom(
      "/twilio/sms",
      "/twilio/status",
      `/front/${WEBHOOK_TOKEN}`,
      "/healthz",
      "/metrics",
      "*",
      "/healthz/",
      "/HEALTHZ",
      "http://evil.example/healthz",
      "/%2e%2e/healthz",
    ),
    fc
      .tuple(
        fc.constantFrom("/healthz", "/twilio/sms", "/x"),
        fc.stringMatching(/^[A-Za-z0-9=&%+]{0,30}$/),
      )
      .map(([p, q]) => `${p}?${q}`),
  )
  .filter((p) => !p.startsWith("//"));
/** Bad escapes and protocol-relative paths: only "below 500" is asked of them. */
const dirtyPath = fc.oneof(
  fc
    .tuple(
      fc.array(cleanSegment, { maxLength: 3 }),
      fc.constantFrom("%", "%2", "%zz", "%E0%A4%A", "%ED%A0%80", "%FF", "%C0%AF"),
      fc.array(cleanSegment, { maxLength: 2 }),
    )
    .map(([a, bad, b]) => `/${[...a, bad, ...b].join("/")}`),
  fc.array(cleanSegment, { maxLength: 4 }).map((parts) => `//${parts.join("/")}`),
  fc.constantFrom("//", "///healthz", "//evil.example/healthz", "/%", "/healthz%"),
);

describe("fuzz unknown paths and methods", () => {
  const h = useFuzzHarness();

  it("answers any method on any path below 500; unknown paths 404, known paths' other methods 405", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        cleanPath,
        fc.option(bytes),
        async (method, target, body) => {
          const response = await checkRequest(h, {
            method,
            path: target,
            ...(body === null ? {} : { body }),
          });
          const what = `${method} ${target} -> ${response.status} ${response.body.slice(0, 100)}`;
          // The path as sent (no dot-segment resolution); a target that is not a path names no route.
          const pathname = target.startsWith("/") ? target.split("?")[0] : undefined;
          const known =
            pathname === undefined ? undefined : KNOWN.find((r) => r.path.test(pathname));
          if (pathname === undefined || !known) expect([400, 404], what).toContain(response.status);
          else if (!NODE_METHODS.includes(method)) {
            // Node's parser refuses a method it does not know before the bridge sees it.
            expect(response.status, what).toBe(400);
          } else if (!known.methods.includes(method)) {
            expect(response.status, what).toBe(405);
            expect(response.headers.allow, what).toBeTruthy();
          }
        },
      ),
      runs(300),
    );
    await expectHealthy(h);
  });

  it("answers paths with bad percent-escapes or a leading // below 500", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METHODS), dirtyPath, async (method, target) => {
        await checkRequest(h, { method, path: target });
      }),
      runs(150),
    );
    await expectHealthy(h);
  });
});
