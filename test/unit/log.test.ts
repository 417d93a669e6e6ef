import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createCliLogger } from "../../src/log.js";

function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

const now = () => new Date("2026-11-30T07:10:05.123Z");

describe("createCliLogger", () => {
  it("text: date, time and level; warnings and errors on stderr; below the level is dropped", () => {
    const out = sink();
    const err = sink();
    const logger = createCliLogger({ stdout: out.stream, stderr: err.stream, level: "info", now });
    logger.debug("hidden");
    logger.info("--> sms +1415…23 SM0123456789abcdef0123456789abcdef queued");
    logger.error("Front refused it");
    expect(out.lines).toEqual([
      "2026-11-30 07:10:05 INFO  --> sms +1415…23 SM0123456789abcdef0123456789abcdef queued",
    ]);
    expect(err.lines).toEqual(["2026-11-30 07:10:05 ERROR Front refused it"]);
  });

  it("json: one object per line with ISO time, level, event, the ids involved and extra fields", () => {
    const out = sink();
    const logger = createCliLogger({ stdout: out.stream, format: "json", now });
    logger.info("<-- front +1415…23 SM0123456789abcdef0123456789abcdef delivered to cha_sms", {
      attempt: 2,
    });
    expect(JSON.parse(out.lines[0]!)).toEqual({
      time: "2026-11-30T07:10:05.123Z",
      level: "info",
      event: "<-- front +1415…23 SM0123456789abcdef0123456789abcdef delivered to cha_sms",
      twilioSid: "SM0123456789abcdef0123456789abcdef",
      channel: "cha_sms",
      number: "+1415…23",
      attempt: 2,
    });
  });

  it("never writes a configured secret, in either format", () => {
    for (const format of ["text", "json"] as const) {
      const out = sink();
      const secret = "tok_abcdefghijklmnop";
      const logger = createCliLogger({ stdout: out.stream, format, secrets: [secret], now });
      logger.info(`calling with ${secret}`, { header: `Bearer ${secret}` });
      expect(out.lines.join("\n")).not.toContain(secret);
      expect(out.lines.join("\n")).toContain("••••mnop");
    }
  });
});
