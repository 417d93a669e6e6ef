import fc from "fast-check";
import { expect, it } from "vitest";
import { encodeForm, type FormParams } from "../../src/webhooks/form.js";
import { signTwilio } from "../../src/webhooks/twilio-signature.js";
import type { Harness } from "../helpers/harness.js";
import {
  checkRequest,
  contentType,
  expectHealthy,
  headers,
  mutations,
  nastyText,
  type Mutation,
  type RawRequest,
} from "./kit.js";

/** How a fuzzed Twilio webhook is signed: as Twilio would, not at all, or wrongly. */
export type Signing = "valid" | "none" | "wrong-token" | "wrong-url" | "garbage";

export const signing: fc.Arbitrary<Signing> = fc.constantFrom(
  "valid",
  "valid",
  "none",
  "wrong-token",
  "wrong-url",
  "garbage",
);

/** A form POST to `path`, signed per `how` over the exact bytes sent. */
export function twilioRequest(
  h: Harness,
  path: string,
  body: string,
  how: Signing,
  type: string | undefined = "application/x-www-form-urlencoded",
): RawRequest {
  const url = `${h.publicUrl}${path}`;
  const signature = {
    valid: () => signTwilio(h.twilio.authToken, url, body),
    none: () => undefined,
    "wrong-token": () => signTwilio(`${h.twilio.authToken}x`, url, body),
    "wrong-url": () => signTwilio(h.twilio.authToken, `${url}/`, body),
    garbage: () => "AAAA==",
  }[how]();
  return {
    method: "POST",
    path,
    headers: headers({ "content-type": type, "x-twilio-signature": signature }),
    body,
  };
}

/** Values for a mutated field: nasty strings, repeated keys, empty ones. */
const formValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyText },
  fc.array(nastyText, { minLength: 2, maxLength: 4 }),
  fc.constantFrom("", "SM", `SM${"g".repeat(32)}`, `MM${"0".repeat(33)}`, "AC", "+1", "10"),
);

export function formMutations(fields: readonly string[]) {
  return mutations(fields, formValue);
}

/** A real payload with fields dropped, replaced or repeated (repeated keys become arrays). */
export function mutateForm(params: FormParams, changes: Mutation[]): FormParams {
  const result: FormParams = { ...params };
  for (const change of changes) {
    const value = change.op === "drop" ? undefined : (change.value as string | string[]);
    if (change.op === "drop") delete result[change.field];
    else if (change.op === "replace") result[change.field] = value!;
    else {
      const previous = result[change.field];
      const added = Array.isArray(value) ? value : [value!];
      result[change.field] =
        previous === undefined
          ? added
          : [...(Array.isArray(previous) ? previous : [previous]), ...added];
    }
  }
  return result;
}

export const formContentType = contentType("application/x-www-form-urlencoded");

export { encodeForm };

/** The 64 KB body of one repeated key (quadratic for a naive parser): a 403, the bridge still up. */
export function itRefusesRepeatedKeys(h: Harness, path: "/twilio/sms" | "/twilio/status"): void {
  it.each(["none", "garbage"] as const)(
    "answers a 64 KB body of one repeated key (signature: %s) with 403",
    async (how) => {
      const body = "a=1&".repeat(16 * 1024).slice(0, 64 * 1024 - 1);
      const response = await checkRequest(h, twilioRequest(h, path, body, how));
      expect(response.status).toBe(403);
      await expectHealthy(h);
    },
  );
}
