import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { signMediaToken } from "../../src/webhooks/media-token.js";
import { checkRequest, expectHealthy, nastyText, rawRequest, runs, useFuzzHarness } from "./kit.js";

const BYTES = Buffer.from("fuzz media bytes");

/** Path-safe text with well-formed escapes. */
const cleanSegment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,60}$/),
  nastyText.map((text) => encodeURIComponent(Buffer.from(text).toString())),
);

/** Path-safe text with escapes, good and bad. */
const segment = fc.oneof(
  cleanSegment,
  fc.constantFrom("%", "%2", "%zz", "%E0%A4%A", "%ED%A0%80", "%00", "%2F", "%2e%2e", "..", "."),
  nastyText.map((text) => encodeURIComponent(Buffer.from(text).toString())),
);

describe("fuzz GET /media/<token>", () => {
  const h = useFuzzHarness();
  let secret = "";
  let token = "";
  const id = "media_fuzz_0123456789";

  beforeAll(async () => {
    secret = (await h.store.getMeta("media.secret"))!;
    const expiresAt = Date.now() + 3_600_000;
    await h.store.putMedia({
      id,
      jobKey: "out:msg_fuzz:+14155550123",
      contentType: "image/png",
      bytes: BYTES,
      expiresAt,
    });
    token = signMediaToken(secret, id, expiresAt);
  });

  it("serves the stored copy for its token", async () => {
    const response = await rawRequest(h.publicUrl, { method: "GET", path: `/media/${token}` });
    expect(response.status).toBe(200);
    expect(response.body).toBe(BYTES.toString());
  });

  it("answers mutated tokens with 404 (or another 4xx), never the bytes, never 5xx", async () => {
    const mutated = fc.oneof(
      // One character changed, dropped or added.
      fc
        .tuple(fc.nat(), fc.constantFrom("a", "A", "0", ".", "-", "_", "~", "%41", "%00", "%2E"))
        .map(([at, char]) => {
          const i = at % token.length;
          return [
            token.slice(0, i) + char + token.slice(i + 1),
            token.slice(0, i) + char + token.slice(i),
          ];
        })
        .chain((options) => fc.constantFrom(...options)),
      fc.nat().map((n) => token.slice(0, n % token.length)),
      // (Bad escapes have their own property below.)
      cleanSegment.map((extra) => `${token}${extra}`),
      // Signed by the right key, but for another id or expired (a far expiry would be a valid token).
      fc
        .tuple(
          fc.oneof(fc.constant(id), fc.string({ maxLength: 20 })),
          fc.constantFrom(0, -1, NaN, Date.now() - 1),
        )
        .map(([other, expiry]) => encodeURIComponent(signMediaToken(secret, other, expiry))),
      // A valid-looking token under another key.
      fc.constant(signMediaToken("not-the-secret", id, Date.now() + 60_000)),
    );
    await fc.assert(
      fc.asyncProperty(mutated, async (path) => {
        // A percent-escape of the very character it replaces spells the same URL (RFC 3986 §2.3).
        fc.pre(decodeURIComponent(path) !== token);
        const response = await checkRequest(h, { method: "GET", path: `/media/${path}` });
        expect(response.status, `/media/${path}`).toBeGreaterThanOrEqual(400);
        expect(response.body).not.toBe(BYTES.toString());
      }),
      runs(200),
    );
    await expectHealthy(h);
  });

  it("refuses other spellings of a valid token: extra segments, a re-spelled expiry", async () => {
    // The token should be canonical: only the exact string the bridge issued serves the file.
    const [tokenId, expiry, signature] = token.split(".") as [string, string, string];
    const respelled = fc.oneof(
      fc.constantFrom(`0${expiry}`, `+${expiry}`, `00${expiry}`, ` ${expiry}`, `${expiry} `),
      fc.constant(`0x${Number(expiry).toString(16)}`),
    );
    const variant = fc.oneof(
      respelled.map((e) => `${tokenId}.${encodeURIComponent(e)}.${signature}`),
      fc.stringMatching(/^[A-Za-z0-9_-]{0,8}$/).map((extra) => `${token}.${extra}`),
    );
    await fc.assert(
      fc.asyncProperty(variant, async (path) => {
        const response = await checkRequest(h, { method: "GET", path: `/media/${path}` });
        expect(response.status, `/media/${path}`).toBe(404);
      }),
      runs(30),
    );
  });

  it("answers random tokens and bad escapes below 500", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 3 }), async (parts) => {
        const response = await checkRequest(h, { method: "GET", path: `/media/${parts.join("")}` });
        expect(response.status).toBeGreaterThanOrEqual(400);
      }),
      runs(150),
    );
    await expectHealthy(h);
  });

  it("answers other methods on /media/<token> with 405", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
        async (method) => {
          const response = await checkRequest(h, { method, path: `/media/${token}`, body: "x" });
          expect(response.status).toBe(405);
        },
      ),
      runs(10),
    );
  });
});
