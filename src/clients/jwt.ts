import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** An HS256 JWT from claims, with node:crypto (the format is small and fixed). */
export function signHs256(claims: Record<string, string | number>, secret: string): string {
  const unsigned = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

/**
 * The Channel API's bearer token: a fresh one per request, iss = App UID, sub = channel id,
 * jti random, exp ≤ 30 s from now (front-api.md §1.2).
 */
export function channelApiToken(input: {
  appUid: string;
  appSecret: string;
  channelId: string;
  now: number;
  ttlSeconds?: number;
}): string {
  return signHs256(
    {
      iss: input.appUid,
      jti: randomBytes(8).toString("hex"),
      sub: input.channelId,
      exp: Math.floor(input.now / 1000) + Math.min(input.ttlSeconds ?? 30, 30),
    },
    input.appSecret,
  );
}

/** The claims of an HS256 JWT whose signature matches `secret`; undefined otherwise. */
export function verifyHs256(token: string, secret: string): Record<string, unknown> | undefined {
  const [header, claims, signature] = token.split(".");
  if (!header || !claims || !signature) return undefined;
  const expected = createHmac("sha256", secret).update(`${header}.${claims}`).digest("base64url");
  if (
    expected.length !== signature.length ||
    !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
  )
    return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg?: string };
    if (decoded.alg !== "HS256") return undefined;
    return JSON.parse(Buffer.from(claims, "base64url").toString()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
