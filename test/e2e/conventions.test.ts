import { capture } from "../helpers/capture.js";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { EXAMPLES } from "../../src/help-examples.js";
import { cleanEnv, runCli, tempDir } from "../helpers/cli.js";
import { standInInitFlags, startStandIns } from "../helpers/stand-ins.js";

const COMMANDS = Object.keys(EXAMPLES).filter((path) => path !== "front-twilio");

describe("conventions of good CLIs (the built binary)", () => {
  it("every command's --help ends with examples", async () => {
    const root = await runCli(["--help"], cleanEnv());
    const commands = root.stdout.slice(root.stdout.indexOf("Commands:"));
    for (const name of commands.matchAll(/^ {2}([a-z][a-z-]*)\b/gm))
      if (name[1] !== "help") expect(COMMANDS).toContain(name[1]);
    // Each command's help in-process (the same program the binary builds), to keep the suite fast.
    for (const path of COMMANDS) {
      const stdout = capture();
      await main(["node", "front-twilio", ...path.split(" "), "--help"], {
        stdout: stdout.stream,
        env: cleanEnv(),
      });
      expect(stdout.text(), path).toContain(`Examples:\n  $ front-twilio ${path.split(" ")[0]}`);
    }
  }, 60_000);

  it("completion prints a script for bash, zsh and fish; another shell is a usage error", async () => {
    const bash = await runCli(["completion", "bash"], cleanEnv());
    expect(bash.stdout).toContain("complete -o default -F _front_twilio front-twilio");
    expect(bash.stdout).toContain('"queue retry") words="--dead --json --help');
    expect((await runCli(["completion", "zsh"], cleanEnv())).stdout).toMatch(
      /^#compdef front-twilio/,
    );
    expect((await runCli(["completion", "fish"], cleanEnv())).stdout).toContain(
      "complete -c front-twilio -n '__fish_seen_subcommand_from send-test' -l via-bridge",
    );
    const other = await runCli(["completion", "tcsh"], cleanEnv());
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('No completion for "tcsh"');
  });

  it("--json on send-test, init --no-interactive and reconcile: one object on stdout", async () => {
    const s = await startStandIns();
    try {
      const env = {
        ...s.env,
        FRONT_TWILIO_DATA_DIR: tempDir(),
        FRONT_TWILIO_POLL_MS: "20",
      };
      const init = await runCli(
        [
          "init",
          "--no-interactive",
          "--json",
          ...standInInitFlags(s),
          "--public-url",
          "https://sms.example.com",
        ],
        env,
      );
      expect(JSON.parse(init.stdout)).toMatchObject({ ok: true, exitCode: 0, outcome: "ok" });

      s.twilio.settleTo("+14155550123", "undelivered", 30003);
      const sent = await runCli(["send-test", "--to", "+14155550123", "--json"], env);
      expect(sent.code).toBe(1);
      expect(JSON.parse(sent.stdout)).toMatchObject({
        ok: false,
        exitCode: 1,
        outcome: "failed",
        result: expect.stringContaining("Not delivered (undelivered)") as unknown,
      });

      const reconciled = await runCli(["reconcile", "--since", "1h", "--json"], env);
      expect(JSON.parse(reconciled.stdout)).toMatchObject({ ok: true, exitCode: 0 });

      const set = await runCli(["config", "set", "phone.defaultCountry", "gb", "--json"], env);
      expect(JSON.parse(set.stdout)).toMatchObject({
        ok: true,
        lines: [expect.stringContaining("phone.defaultCountry = GB") as unknown],
      });
    } finally {
      expect(await s.close()).toEqual([]);
    }
  });
});
