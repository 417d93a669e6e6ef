import { afterAll, describe } from "vitest";
import { openPgStore } from "../../src/store/pg-open.js";
import { describeStoreContract } from "../store-contract/contract.js";
import { freshSchema, postgresAvailable } from "../helpers/postgres.js";

const available = await postgresAvailable();
const schemas: ReturnType<typeof freshSchema>[] = [];

describe.skipIf(!available)("PostgreSQL", () => {
  // Every test gets a schema of its own, so test files (and reruns) never see each other's rows.
  describeStoreContract("PostgreSQL", async () => {
    const schema = freshSchema();
    schemas.push(schema);
    return openPgStore(schema.url, { poolSize: 4 });
  });
  afterAll(async () => {
    for (const schema of schemas) await schema.drop();
  });
});
