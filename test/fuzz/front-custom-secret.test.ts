import { describe } from "vitest";
import { customProperties } from "./front-custom-properties.js";
import { useFuzzHarness } from "./kit.js";

const SECRET = "fuzz-webhook-secret";

describe("fuzz POST /front/<token>, custom channel with a webhook secret", () => {
  const h = useFuzzHarness({ webhookSecret: SECRET });
  customProperties(h, SECRET);
});
