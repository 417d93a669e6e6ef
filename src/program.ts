import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import type { CommandContext, MainDeps } from "./commands/context.js";
import { reportAsJson } from "./commands/json-report.js";
import { INIT_FLAGS } from "./commands/init/flags.js";
import type { ReportOptions } from "./commands/report/options.js";
import type { ServeOptions } from "./commands/serve/serve.js";
import { SERVE_SETTINGS } from "./commands/serve/flags.js";
import { SETTINGS, flagHelp, settingOf, type SettingKey } from "./config/schema.js";
import { addExamples } from "./help-examples.js";
import { addSupportCommands } from "./program-support.js";

const { version } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as {
  version: string;
};

/** `--front-token` → `frontToken`, as commander names option values. */
function camel(flag: string): string {
  return flag.replace(/^--/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Settings every command takes as flags: how to log, and which shared store (the database URL
 * applies to serve, doctor, status, queue, reconcile and report alike).
 */
const GLOBAL_SETTINGS = ["log.format", "log.level", "bridge.databaseUrl"] as const;

/** Adds each setting's flag with its --help text from the settings table (values parsed there too). */
function addSettingFlags(command: Command, keys: readonly SettingKey[]): Command {
  for (const key of keys) {
    const setting = settingOf(key);
    command.option(`${setting.flag!} <value>`, flagHelp(setting));
  }
  return command;
}

/** The values of the settings' flags a command was given, by setting key. */
export function settingFlags(
  options: Record<string, unknown>,
  keys: readonly SettingKey[] = SETTINGS.map((s) => s.key),
): Partial<Record<SettingKey, string>> {
  const flags: Partial<Record<SettingKey, string>> = {};
  for (const key of keys) {
    const flag = settingOf(key).flag;
    const value = flag === undefined ? undefined : options[camel(flag)];
    if (typeof value === "string") flags[key] = value;
  }
  return flags;
}

function int(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new InvalidArgumentError("expected a whole number");
  return number;
}

/** Builds the program; each command's module is imported only when that command runs. */
export function buildProgram(
  deps: MainDeps & { json?: boolean },
  setExit: (code: number) => void,
): Command {
  const program = new Command("front-twilio")
    .description(
      "Customer SMS in the Front shared inbox: a Twilio number bridged to a Front channel.",
    )
    .version(version)
    .option("--profile <name>", "use a separate configuration (staging, production)")
    .option("--no-color", "plain output without colours (also NO_COLOR=1)");
  addSettingFlags(program, GLOBAL_SETTINGS)
    .showHelpAfterError(deps.json ? false : "(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => (deps.stdout ?? process.stdout).write(text),
      writeErr: (text) => (deps.stderr ?? process.stderr).write(text),
      // Under --json a usage error is one JSON object too.
      outputError: (text, write) =>
        write(
          deps.json
            ? `${JSON.stringify({ error: { code: "usage", message: text.replace(/^error: /, "").trim() } })}\n`
            : text,
        ),
    });

  // Loaded when a command runs: configuration pulls in conf and its schema validator.
  const context = async (): Promise<CommandContext> => {
    const { createContext } = await import("./commands/context.js");
    const options = program.opts<{ profile?: string }>();
    return createContext({
      ...deps,
      ...(options.profile ? { profile: options.profile } : {}),
      globalFlags: settingFlags(options, GLOBAL_SETTINGS),
    });
  };

  const serveCommand = program
    .command("serve")
    .description("run the bridge: Twilio webhooks in, Front channel webhooks out");
  addSettingFlags(serveCommand, SERVE_SETTINGS)
    .option(
      "--tunnel",
      "open a localtunnel dev tunnel and point Twilio and Front at it while running",
    )
    .option("--subdomain <name>", "ask the tunnel server for this subdomain (not guaranteed)")
    .option("--tunnel-host <url>", "the localtunnel server to use (default https://localtunnel.me)")
    .option(
      "--catch-up <duration>",
      "at start, reconcile the time the bridge was down, at most this far back (default 24h; 0 = off)",
    )
    .option("--verbose", "also print debug lines")
    .action(async (options: ServeOptions & Record<string, unknown>) => {
      const { serve } = await import("./commands/serve/serve.js");
      setExit(
        await serve({ ...options, flags: settingFlags(options, SERVE_SETTINGS) }, await context()),
      );
    });

  program
    .command("demo")
    .description("try the whole bridge against built-in Front and Twilio stand-ins (no accounts)")
    .option("--keep", "keep the demo running so `simulate` can be used against it")
    .option("--port <port>", "port for the demo bridge (default: any free port)", int)
    .option("--json", "one JSON object at the end (without --keep)")
    .action(async (options: { keep?: boolean; port?: number; json?: boolean }) => {
      const { demo } = await import("./commands/demo.js");
      const { json, ...rest } = options;
      setExit(await reportAsJson(json && !rest.keep, await context(), (c) => demo(c, rest)));
    });

  const initCommand = program
    .command("init")
    .description("guided setup: check Front and Twilio, point both at the bridge, save the config")
    .option(
      "--no-interactive",
      "never prompt; fail with the list of what is missing (automatic without a TTY)",
    )
    .option("--tunnel", "the bridge will run behind the dev tunnel (no public URL yet)")
    .option(
      "--fix",
      "fix a Messaging Service or SMS application that diverts SMS away from the number's SMS URL",
    )
    .option("--json", "with --no-interactive: one JSON object at the end");
  addSettingFlags(
    initCommand,
    SETTINGS.filter((s) => s.flag && (INIT_FLAGS as readonly string[]).includes(s.flag)).map(
      (s) => s.key,
    ),
  );
  initCommand.action(async (options: Record<string, string | boolean | undefined>) => {
    const { init } = await import("./commands/init/init.js");
    const { createInquirerPrompter } = await import("./commands/init/prompter.js");
    const flags = Object.fromEntries(
      SETTINGS.filter((s) => s.flag).map((s) => [
        s.key,
        options[camel(s.flag!)] as string | undefined,
      ]),
    );
    const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
    const run = {
      interactive: options.interactive !== false && tty,
      fix: options.fix === true,
      tunnel: options.tunnel === true,
      flags,
    };
    const json = options.json === true && !run.interactive;
    setExit(
      await reportAsJson(json, await context(), (c) =>
        init(run, c, { prompter: createInquirerPrompter() }),
      ),
    );
  });

  program
    .command("doctor")
    .description(
      "re-check credentials, IDs, webhook URLs, reachability and the store; exit 0 only when all pass",
    )
    .option("--route <number or channel>", "check one route only (default: every route)")
    .option("--json", "machine-readable output")
    .action(async (options: { json?: boolean; route?: string }) => {
      const { doctor } = await import("./commands/doctor/doctor.js");
      setExit(await doctor(options, await context()));
    });

  program
    .command("send-test")
    .description(
      "prove delivery: a real SMS from the configured number, followed to a final status",
    )
    .requiredOption(
      "--to <number>",
      "the phone to send to (E.164, or national with phone.defaultCountry)",
    )
    .option("--body <text>", "message text")
    .option("--route <number or channel>", "the route to prove (needed when there are several)")
    .option(
      "--inbound",
      "instead post a test message into the Front channel and report where it landed",
    )
    .option(
      "--via-bridge",
      "instead post a signed test webhook to the running bridge and confirm it reached Front",
    )
    .option("--timeout <seconds>", "how long to wait for proof (default 60)", int)
    .option("--json", "one JSON object at the end: {ok, exitCode, outcome, result, lines}")
    .action(
      async (options: {
        to: string;
        route?: string;
        body?: string;
        inbound?: boolean;
        viaBridge?: boolean;
        timeout?: number;
        json?: boolean;
      }) => {
        const { sendTest } = await import("./commands/send-test/send-test.js");
        const { timeout, json, ...rest } = options;
        const run = timeout === undefined ? rest : { ...rest, timeoutSeconds: timeout };
        const ctx = await context();
        const { tuningFrom } = await import("./settings.js");
        const { loadConfig } = await import("./commands/context.js");
        const { pollMs } = tuningFrom(loadConfig(ctx).config);
        setExit(
          await reportAsJson(json, ctx, (c) =>
            sendTest(run, c, pollMs === undefined ? {} : { pollMs }),
          ),
        );
      },
    );

  program
    .command("reconcile")
    .description(
      "deliver messages Twilio received while the bridge was down (from Twilio's message list)",
    )
    .option("--since <duration>", "how far back to look: 30m, 2h, 1d (default 24h)")
    .option("--route <number or channel>", "one route only (default: every route)")
    .option("--timeout <seconds>", "how long to wait for delivery (default 120)", int)
    .option("--json", "one JSON object at the end: {ok, exitCode, outcome, result, lines}")
    .action(
      async (options: { since?: string; route?: string; timeout?: number; json?: boolean }) => {
        const { reconcileCommand } = await import("./commands/reconcile.js");
        const { timeout, json, ...rest } = options;
        const run = timeout === undefined ? rest : { ...rest, timeoutSeconds: timeout };
        setExit(await reportAsJson(json, await context(), (c) => reconcileCommand(run, c)));
      },
    );

  program
    .command("status")
    .description("the running bridge's figures (its /metrics) for a person")
    .option("--url <url>", "the bridge's base URL (default: bridge.publicUrl)")
    .option("--route <number or channel>", "the figures of one route only")
    .option("--json", "machine-readable output")
    .action(async (options: { url?: string; json?: boolean; route?: string }) => {
      const { status } = await import("./commands/status.js");
      setExit(await status(options, await context()));
    });

  program
    .command("report")
    .description(
      "SMS analytics from Front beside the other inboxes, and the bridge's own figures, per route",
    )
    .option("--since <duration>", "how far back: 7d, 30d (default 7d; Front counts whole days)")
    .option("--from <date>", "first day, e.g. 2026-11-01 (instead of --since)")
    .option("--to <date>", "last day, inclusive (default: today)")
    .option("--timezone <zone>", "IANA time zone the days are cut in (default Etc/UTC)")
    .option("--by <period>", "a trend: one report per day or week, charted")
    .option("--route <number|channel>", "only this route (its Twilio number or Front channel id)")
    .option("--compare <inbox>", "compare with this inbox id instead of all the other inboxes")
    .option("--json", "the same figures as one JSON object")
    .option("--csv", "the same figures as CSV (one figure per line)")
    .option("--html <file>", "also write a self-contained page with the table and the charts")
    .action(async (options: ReportOptions) => {
      const { report } = await import("./commands/report/run.js");
      setExit(await report(options, await context()));
    });

  addSupportCommands(program, deps, context, setExit);

  addExamples(program);
  return program;
}
