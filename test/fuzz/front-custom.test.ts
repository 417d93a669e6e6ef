import { describe } from "vitest";
import { customProperties } from "./front-custom-properties.js";
import { useFuzzHarness } from "./kit.js";

describe("fuzz POST /front/<token>, custom channel without a webhook secret", () => {
  const h = useFuzzHarness();
  customProperties(h, undefined);
});
