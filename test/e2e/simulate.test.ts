import { describe, expect, it } from "vitest";
import { cleanEnv, runCli, startCli, tempDir } from "../helpers/cli.js";

describe("front-twilio demo --keep + simulate (the built binary)", () => {
  it("simulate sms reaches Front through the running demo bridge, simulate reply reaches Twilio, a tampered copy is refused", async () => {
    const demo = startCli(["demo", "--keep"], cleanEnv({ FRONT_TWILIO_CONFIG_DIR: tempDir() }));
    try {
      await demo.waitForOutput(/Press Ctrl\+C to stop/);
      const exported = Object.fromEntries(
        [...demo.output().matchAll(/^\s+(?:export )?([A-Z_]+)=(\S+)/gm)].map((m) => [m[1]!, m[2]!]),
      );
      expect(exported).toHaveProperty("FRONT_TWILIO_PUBLIC_URL");
      const env = cleanEnv({ ...exported, FRONT_TWILIO_CONFIG_DIR: tempDir() });

      const sms = await runCli(
        ["simulate", "sms", "--from", "+14155550123", "--body", "Hello again"],
        env,
      );
      expect(sms.stdout).toMatch(/--> POST http:\/\/127\.0\.0\.1:\d+\/twilio\/sms/);
      expect(sms.stdout).toContain("x-twilio-signature: ");
      expect(sms.stdout).toContain(
        '<-- 200\n    <?xml version="1.0" encoding="UTF-8"?><Response/>',
      );
      expect(sms.code).toBe(0);
      await demo.waitForOutput(
        /<-- front \+1415…23 SM\w+ delivered[\s\S]*<-- front \+1415…23 SM\w+ delivered/,
      );

      const reply = await runCli(
        ["simulate", "reply", "--to", "+14155550123", "--body", "Hi, how can we help?"],
        env,
      );
      expect(reply.stdout).toContain("/front/<token>");
      expect(reply.stdout).toContain('<-- 200\n    {"type":"success"}');
      expect(reply.code).toBe(0);

      // The same SMS signed with the wrong token (a tampered copy) is refused.
      const forged = await runCli(
        ["simulate", "sms", "--from", "+14155550123", "--body", "forged"],
        { ...env, TWILIO_AUTH_TOKEN: "not-the-token" },
      );
      expect(forged.code).toBe(1);
      expect(forged.stdout).toContain("<-- 403");
      expect(demo.output()).toContain("x-- sms refused: X-Twilio-Signature does not match");
    } finally {
      demo.child.kill("SIGINT");
      expect((await demo.exited).code).toBe(0);
    }
  });

  it("says how to reach a bridge when nothing answers", async () => {
    const result = await runCli(
      ["simulate", "reply", "--to", "+14155550123", "--body", "x", "--url", "http://127.0.0.1:9"],
      cleanEnv({ FRONT_TWILIO_CONFIG_DIR: tempDir(), FRONT_TWILIO_WEBHOOK_TOKEN: "t" }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Nothing answered at http://127.0.0.1:9/front/<token>");
    expect(result.stderr).toContain("→ Start the bridge");
  });
});
