import { afterAll, describe, expect, it } from "vitest";
import {
  createMemoryPaceBudget,
  type PaceBudget,
  type PaceRule,
} from "../../src/store/pace-budget.js";
import { createPgPool, openPgStore } from "../../src/store/pg-open.js";
import { createPgPaceBudget } from "../../src/store/pg-pace-budget.js";
import { freshSchema, postgresAvailable } from "../helpers/postgres.js";

const available = await postgresAvailable();
const rules: PaceRule[] = [
  { key: "resource:cha_1", limit: 5, windowMs: 1_100, minIntervalMs: 200 },
  { key: "company", limit: 8, windowMs: 60_500, minIntervalMs: 0 },
];

/** One budget seen by two processes: the limits hold for both together. */
function describeBudget(name: string, open: () => Promise<[PaceBudget, PaceBudget]>) {
  describe(`${name} pace budget`, () => {
    it("grants one call of many asked at once, then spaces and bounds them", async () => {
      const [a, b] = await open();
      try {
        const answers = await Promise.all(
          Array.from({ length: 10 }, (_, n) => (n % 2 ? a : b).take(rules, 1000)),
        );
        expect(answers.filter((at) => at === 1000)).toHaveLength(1);
        expect(answers.filter((at) => at !== 1000).every((at) => at === 1200)).toBe(true);
        for (const now of [1200, 1400, 1600, 1800]) expect(await a.take(rules, now)).toBe(now);
        // Five in 1.1 s: the sixth waits for the first to leave the window.
        expect(await b.take(rules, 2000)).toBe(2100);
        expect(await b.take(rules, 2100)).toBe(2100);
        expect(await a.take(rules, 2300)).toBe(2300);
        expect(await a.take(rules, 2500)).toBe(2500);
        // Eight per company minute, whatever the channel.
        const other = [{ ...rules[0]!, key: "resource:cha_2" }, rules[1]!];
        expect(await b.take(other, 2600)).toBe(1000 + 60_500);
        // Front said wait: nobody calls before then.
        await a.pause(90_000);
        expect(await b.take(other, 70_000)).toBe(90_000);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
}

describeBudget("in-memory", async () => {
  const budget = createMemoryPaceBudget();
  return [budget, budget];
});

const schemas: ReturnType<typeof freshSchema>[] = [];
describe.skipIf(!available)("PostgreSQL", () => {
  describeBudget("PostgreSQL (two pools)", async () => {
    const schema = freshSchema();
    schemas.push(schema);
    await (await openPgStore(schema.url)).close();
    return [
      createPgPaceBudget(createPgPool(schema.url)),
      createPgPaceBudget(createPgPool(schema.url)),
    ];
  });
  afterAll(async () => {
    for (const schema of schemas) await schema.drop();
  });
});
