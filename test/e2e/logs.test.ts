import { describe, expect, it } from "vitest";
import { cleanEnv, runCli, tempDir } from "../helpers/cli.js";

describe("logs for people and machines (the built binary, demo)", () => {
  const env = () => cleanEnv({ FRONT_TWILIO_CONFIG_DIR: tempDir() });

  it("text lines show date, time and level", async () => {
    const result = await runCli(["demo"], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d INFO {2}--> sms \+1415…23 SM\w{32} queued$/m,
    );
  });

  it("--log-format json writes one object per line with time, level, event and ids", async () => {
    const result = await runCli(["demo", "--log-format", "json"], env());
    const records = result.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, string>);
    expect(records.length).toBeGreaterThan(1);
    expect(records[0]).toMatchObject({
      level: "info",
      event: expect.stringMatching(/^--> sms/) as unknown,
      twilioSid: expect.stringMatching(/^SM\w{32}$/) as unknown,
      number: "+1415…23",
    });
    expect(new Date(records[0]!.time!).toISOString()).toBe(records[0]!.time);
  });

  it("FRONT_TWILIO_LOG_LEVEL=warn drops the info lines; a bad level is refused", async () => {
    const quiet = await runCli(["demo"], { ...env(), FRONT_TWILIO_LOG_LEVEL: "warn" });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toMatch(/ INFO /);
    const bad = await runCli(["status", "--log-level", "loud"], env());
    expect(bad.stderr).toContain('Invalid log.level "loud" from --log-level');
  });
});
