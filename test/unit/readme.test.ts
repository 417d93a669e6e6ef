import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { withSettingsReference } from "../../src/config/reference.js";
import { SETTINGS } from "../../src/config/schema.js";
import { commandPath } from "../../src/help-examples.js";
import { buildProgram } from "../../src/program.js";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** The README's reference cannot drift from the code: commands, their options, settings. */
describe("README reference", () => {
  const rows = README.split("\n").filter((line) => line.startsWith("| `front-twilio "));
  const commands: Command[] = [];
  const visit = (command: Command) => {
    if (command.parent && command.commands.length === 0) commands.push(command);
    command.commands.forEach(visit);
  };
  visit(buildProgram({}, () => undefined));

  it("lists every command, with each of its options", () => {
    for (const command of commands) {
      const path = commandPath(command);
      const row = rows.find((line) => line.startsWith(`| \`front-twilio ${path}\``));
      expect(row, `README has no row for front-twilio ${path}`).toBeDefined();
      // A flag that sets a setting is documented in the settings table (checked below).
      const settingFlags = new Set(SETTINGS.map((s) => s.flag));
      for (const option of command.options.map((o) => o.long!))
        if (!settingFlags.has(option) || path === "serve")
          expect(row, `${path} ${option}`).toContain(option);
    }
  });

  it("lists no command that does not exist", () => {
    const paths = new Set(commands.map(commandPath));
    for (const row of rows) {
      const path = /^\| `front-twilio ([a-z -]+)`/.exec(row)![1]!.trim();
      expect(paths, path).toContain(path);
    }
  });

  it("has the settings reference generated from the settings table (`npm run docs` updates it)", () => {
    expect(README).toBe(withSettingsReference(README));
    for (const setting of SETTINGS) expect(README).toContain(`| \`${setting.key}\``);
  });
});
