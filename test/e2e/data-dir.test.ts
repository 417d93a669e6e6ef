import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, runCli, tempDir } from "../helpers/cli.js";

describe("a data dir that cannot be used (the built binary)", () => {
  // Real: a file stands where the data dir should be (ENOTDIR). A read-only file system cannot be
  // made here (tests run as root, which chmod does not stop, and without mount rights); the
  // read-only and full-disk messages are covered in test/unit/data-dir.test.ts with injected faults.
  const setup = () => {
    const dir = tempDir();
    const file = join(dir, "occupied");
    writeFileSync(file, "not a directory");
    const dataDir = join(file, "data");
    const env = cleanEnv({
      FRONT_TWILIO_CONFIG_DIR: dir,
      FRONT_TWILIO_DATA_DIR: dataDir,
      FRONT_API_TOKEN: "front-token",
      FRONT_CHANNEL_ID: "cha_x",
      FRONT_TWILIO_WEBHOOK_TOKEN: "webhook-token-0123456789",
      TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000000",
      TWILIO_AUTH_TOKEN: "auth-token",
      TWILIO_PHONE_NUMBER: "+14155550100",
      FRONT_TWILIO_PUBLIC_URL: "http://127.0.0.1:9",
    });
    return { dataDir, env };
  };

  for (const args of [["serve", "--port", "0"], ["reconcile"]]) {
    it(`${args[0]} exits 1 with one message naming the path and the fix, no stack trace`, async () => {
      const { dataDir, env } = setup();
      const result = await runCli(args, env);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `✖ Cannot use the data dir ${dataDir}: it, or a folder above it, is a file, not a directory.\n` +
          "→ Move the file away, or choose another with --data-dir or FRONT_TWILIO_DATA_DIR.\n",
      );
      expect(result.stdout).not.toMatch(/\n\s+at /);
    });
  }
});
