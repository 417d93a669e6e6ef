import { describe, expect, it } from "vitest";
import { configGet } from "../../src/commands/config.js";
import { createContext } from "../../src/commands/context.js";
import { maskFrontPath } from "../../src/secret-path.js";
import { tempDir } from "../helpers/cli.js";

const WEBHOOK = "abcdefghijklmnopqrstuv";
const ADMIN = "admin-secret-0123456789wxyz";

function get(key: string | undefined, json = false) {
  let out = "";
  const context = createContext({
    env: {
      FRONT_TWILIO_CONFIG_DIR: tempDir(),
      FRONT_TWILIO_WEBHOOK_TOKEN: WEBHOOK,
      FRONT_TWILIO_ADMIN_TOKEN: ADMIN,
    },
    stdout: { write: (chunk: string) => ((out += chunk), true) } as NodeJS.WritableStream,
  });
  configGet(key, context, json);
  return out;
}

describe("secrets on screen", () => {
  it("masks the /front/<token> path token wherever it appears", () => {
    expect(maskFrontPath(`https://sms.example.com/front/${WEBHOOK}`)).toBe(
      "https://sms.example.com/front/••••stuv",
    );
    expect(maskFrontPath(`POST /front/${WEBHOOK}?x=1 and /front/${WEBHOOK}/`)).toBe(
      "POST /front/••••stuv?x=1 and /front/••••stuv/",
    );
    expect(maskFrontPath("/twilio/sms")).toBe("/twilio/sms");
  });

  it("config get lists every secret masked, the admin token included", () => {
    const all = get(undefined);
    expect(all).toMatch(/front\.webhookToken\s+••••stuv\s+env/);
    expect(all).toMatch(/bridge\.adminToken\s+••••wxyz\s+env/);
    expect(all).not.toContain(WEBHOOK);
    expect(all).not.toContain(ADMIN);
  });

  it("config get front.webhookToken prints it in full (it must be pasted into Front); other secrets stay masked", () => {
    expect(get("front.webhookToken")).toBe(`${WEBHOOK}\n`);
    expect(JSON.parse(get("front.webhookToken", true))).toMatchObject({ value: WEBHOOK });
    expect(get("bridge.adminToken")).toBe("••••wxyz\n");
  });
});
