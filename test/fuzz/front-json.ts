import fc from "fast-check";
import { jsonValue, nastyText, type Mutation } from "./kit.js";

/** Values that break naive readers of Front's Message resource. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: jsonValue },
  { weight: 2, arbitrary: nastyText },
  fc.constantFrom(
    null,
    [null],
    [null, null],
    [{}],
    [[]],
    [1, "a", true],
    [{ handle: null, role: "to" }],
    [{ handle: "+14155550123", role: "to" }, null],
    [{ url: null }],
    [{ url: 42, filename: {}, content_type: [], size: "big" }],
    { related: null },
    { related: { conversation: 42 } },
    { related: { conversation: "https://x/conversations/%" } },
    "&#99999999;",
    "<p>&#x110000;</p>",
    "<".repeat(2_000),
    "msg_",
    "cnv_",
    "",
    -1,
    1e308,
    true,
  ),
);

/** A deeply nested value, built without recursion so the generator itself cannot overflow. */
export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
    return value;
  });

/** Applies mutations to a JSON object, at the top level or one level down (`a.b`). */
export function mutateJson(message: Record<string, unknown>, changes: Mutation[]) {
  const result: Record<string, unknown> = structuredClone(message);
  for (const change of changes) {
    const [head, tail] = change.field.split(".", 2) as [string, string | undefined];
    let target = result;
    let key = head;
    if (tail !== undefined) {
      const inner = result[head];
      if (typeof inner !== "object" || inner === null || Array.isArray(inner)) continue;
      target = inner as Record<string, unknown>;
      key = tail;
    }
    if (change.op === "drop") delete target[key];
    else if (change.op === "replace") target[key] = change.value;
    else {
      const previous = target[key];
      target[key] = Array.isArray(previous)
        ? [...(previous as unknown[]), change.value]
        : change.value;
    }
  }
  return result;
}

/** Stringify that survives values too deep for JSON.stringify (they are sent as built text). */
export function toJsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return '{"deep":' + "[".repeat(50_000) + "]".repeat(50_000) + "}";
  }
}
