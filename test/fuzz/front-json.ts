import fc from "fast-check";
import { jsonValue, nastyText, type Mutation } from "./kit.js";

/** Values that break naive readers of Front's Message resource. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: jsonValue },
  { weight: 1, arbitrary: nastyText },
  // The known traps, often enough that a few hundred runs meet each of them.
  {
    weight: 3,
    arbitrary: fc.constantFrom(
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
  },
  fc.constantFrom([null], [{ handle: null, role: "to" }], [{ url: null }], "&#99999999;"),
);

/** The known traps, each tried in each field of a real message by the trap properties. */
export const TRAPS: readonly unknown[] = [
  null,
  [null],
  [{ handle: null, role: "to" }],
  [{ url: null }],
  [{ url: 42, filename: {}, content_type: [], size: "big" }],
  { related: null },
  "&#99999999;",
  "<p>&#x110000;</p>",
  -1,
  [],
  {},
];

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

/** A copy of `message` without `field` (to make the bridge read `body`, or derive an id). */
export function withoutField<T extends object>(message: T, field: keyof T): Omit<T, typeof field> {
  const copy = { ...message };
  delete copy[field];
  return copy;
}
