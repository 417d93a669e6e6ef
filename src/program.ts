import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import type { CommandContext } from "./commands/context.js";
import { reportAsJson } from "./commands/json-report.js";
import { INIT_FLAGS } from "./commands/init/flags.js";
import type { ServeOptions } from "./commands/serve/serve.js";
import { SETTINGS } from "./config/schema.js";
import type { MainDeps } from "./cli.js";
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
    .option("--no-color", "plain output without colours (also NO_COLOR=1)")
    .option(
      "--log-format <format>",
      "log lines as text (date, time, level) or json (FRONT_TWILIO_LOG_FORMAT)",
    )
    .option(
      "--log-level <level>",
      "least level logged: debug, info, warn, error (FRONT_TWILIO_LOG_LEVEL)",
    )
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
    const { profile, logFormat, logLevel } = program.opts<{
      profile?: string;
      logFormat?: string;
      logLevel?: string;
    }>();
    return createContext({
      ...deps,
      ...(profile ? { profile } : {}),
      globalFlags: { "log.format": logFormat, "log.level": logLevel },
    });
  };

  program
    .command("serve")
    .description("run the bridge: Twilio webhooks in, Front channel webhooks out")
    .option("--port <port>", "port to listen on (PORT, default 3000)", int)
    .option("--host <address>", "address to listen on (default 0.0.0.0)")
    .option(
      "--public-url <url>",
      "public base URL Twilio and Front reach the bridge at (FRONT_TWILIO_PUBLIC_URL)",
    )
    .option("--data-dir <dir>", "where the SQLite store lives (FRONT_TWILIO_DATA_DIR)")
    .option(
      "--database-url <url>",
      "postgres://… : the shared PostgreSQL store, for several instances (FRONT_TWILIO_DATABASE_URL)",
    )
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
    .action(async (options: ServeOptions) => {
      const { serve } = await import("./commands/serve/serve.js");
      setExit(await serve(options, await context()));
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
  for (const setting of SETTINGS.filter(
    (s) => s.flag && (INIT_FLAGS as readonly string[]).includes(s.flag),
  )) {
    initCommand.option(`${setting.flag} <value>`, `${setting.description} (${setting.env})`);
  }
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
    .option("--json", "machine-readable output")
    .action(async (options: { json?: boolean }) => {
      const { doctor } = await import("./commands/doctor.js");
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
        const { tuningFromEnv } = await import("./settings.js");
        const { pollMs } = tuningFromEnv(ctx.env);
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
    .option("--timeout <seconds>", "how long to wait for delivery (default 120)", int)
    .option("--json", "one JSON object at the end: {ok, exitCode, outcome, result, lines}")
    .action(async (options: { since?: string; timeout?: number; json?: boolean }) => {
      const { reconcileCommand } = await import("./commands/reconcile.js");
      const { timeout, json, ...rest } = options;
      const run = timeout === undefined ? rest : { ...rest, timeoutSeconds: timeout };
      setExit(await reportAsJson(json, await context(), (c) => reconcileCommand(run, c)));
    });

  program
    .command("status")
    .description("the running bridge's figures (its /metrics) for a person")
    .option("--url <url>", "the bridge's base URL (default: bridge.publicUrl)")
    .option("--json", "machine-readable output")
    .action(async (options: { url?: string; json?: boolean }) => {
      const { status } = await import("./commands/status.js");
      setExit(await status(options, await context()));
    });

  addSupportCommands(program, deps, context, setExit);

  addExamples(program);
  return program;
}
