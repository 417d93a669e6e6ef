import type { Command } from "commander";
import type { CommandContext, MainDeps } from "./commands/context.js";
import { reportAsJson } from "./commands/json-report.js";
import type { Shell } from "./completion.js";
import { BridgeError } from "./errors.js";

/** The commands around the bridge: routes, queue, simulate, config, completion (see program.ts). */
export function addSupportCommands(
  program: Command,
  deps: MainDeps,
  context: () => Promise<CommandContext>,
  setExit: (code: number) => void,
): void {
  const routes = program
    .command("routes")
    .description("the (Twilio number, Front channel) pairs the bridge serves");
  routes
    .command("list", { isDefault: true })
    .description("every route: number, channel, inbox and its Front webhook path")
    .option("--json", "an array of {number, channel, inbox, webhookPath} (tokens in full)")
    .action(async (options: { json?: boolean }) => {
      const { routesList } = await import("./commands/routes/routes.js");
      setExit(routesList(options, await context()));
    });
  routes
    .command("add")
    .description(
      "check a number and a channel as init does, point both at the bridge, save the route",
    )
    .option("--number <number>", "the Twilio number (E.164)")
    .option("--channel <id>", "the Front channel (cha_…)")
    .option("--inbox <id>", "the channel's inbox (inb_…), checked against the channel")
    .option("--tag <name>", "a Front tag for every new SMS conversation of the route")
    .option(
      "--messaging-service <sid>",
      "send the route's replies through this Messaging Service (MG…; A2P 10DLC campaigns)",
    )
    .option("--no-interactive", "never prompt; fail with what is missing (automatic without a TTY)")
    .option("--json", "one JSON object at the end")
    .action(
      async (options: {
        number?: string;
        channel?: string;
        inbox?: string;
        tag?: string;
        messagingService?: string;
        interactive?: boolean;
        json?: boolean;
      }) => {
        const { routesAdd } = await import("./commands/routes/add.js");
        const { createInquirerPrompter } = await import("./commands/init/prompter.js");
        const { json, interactive, ...rest } = options;
        const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
        const run = { ...rest, interactive: interactive !== false && tty };
        setExit(
          await reportAsJson(json && !run.interactive, await context(), (c) =>
            routesAdd(run, c, { prompter: createInquirerPrompter() }),
          ),
        );
      },
    );
  routes
    .command("remove")
    .description("take a route out of the configuration (by --number or --channel)")
    .option("--number <number>", "the route's Twilio number")
    .option("--channel <id>", "the route's Front channel")
    .action(async (options: { number?: string; channel?: string }) => {
      const { routesRemove } = await import("./commands/routes/routes.js");
      setExit(routesRemove(options, await context()));
    });

  const queue = program
    .command("queue")
    .description("what is waiting, failing or dead in the store");
  queue
    .command("list", { isDefault: true })
    .description("pending, failing (attempts, next attempt, last error) and dead jobs")
    .option("--all", "also the recently delivered and dropped jobs")
    .option("--json", "machine-readable output")
    .action(async (options: { json?: boolean; all?: boolean }) => {
      const { queueList } = await import("./commands/queue.js");
      setExit(await queueList(options, await context()));
    });
  queue
    .command("retry [id]")
    .description("retry one job now, or every dead letter with --dead")
    .option("--dead", "retry every dead letter")
    .option("--json", "one JSON object at the end")
    .action(async (id: string | undefined, options: { dead?: boolean; json?: boolean }) => {
      const { queueRetry } = await import("./commands/queue.js");
      const target = { ...(id ? { id } : {}), ...(options.dead ? { dead: true } : {}) };
      setExit(
        await reportAsJson(options.json, await context(), async (c) => queueRetry(target, c)),
      );
    });
  queue
    .command("drop <id>")
    .description("give up on a job: it will never be delivered")
    .option("--json", "one JSON object at the end")
    .action(async (id: string, options: { json?: boolean }) => {
      const { queueDrop } = await import("./commands/queue.js");
      setExit(await reportAsJson(options.json, await context(), async (c) => queueDrop(id, c)));
    });
  queue
    .command("prune")
    .description(
      "remove what retention allows now: payloads of finished jobs older than FRONT_TWILIO_RETENTION (7d), their keys and links older than FRONT_TWILIO_KEY_RETENTION (30d)",
    )
    .option("--json", "machine-readable output")
    .action(async (options: { json?: boolean }) => {
      const { queuePrune } = await import("./commands/queue.js");
      setExit(await queuePrune(options, await context()));
    });

  const simulate = program
    .command("simulate")
    .description("send correctly signed fake webhooks to a running bridge");
  simulate
    .command("sms")
    .description("a customer's SMS, as Twilio posts it to /twilio/sms")
    .requiredOption("--from <number>", "the customer's number")
    .requiredOption("--body <text>", "message text")
    .option("--media <url>", "a media URL (repeatable)", (value: string, list: string[] = []) => [
      ...list,
      value,
    ])
    .option(
      "--url <url>",
      "the bridge's base URL (default: the running bridge, or bridge.publicUrl)",
    )
    .option("--json", "one JSON object at the end")
    .action(
      async (options: {
        from: string;
        body: string;
        media?: string[];
        url?: string;
        json?: boolean;
      }) => {
        const { simulateSms } = await import("./commands/simulate.js");
        setExit(await reportAsJson(options.json, await context(), (c) => simulateSms(options, c)));
      },
    );
  simulate
    .command("reply")
    .description("an agent's reply, as the Front custom channel posts it to /front/<token>")
    .requiredOption("--to <number>", "the customer's number")
    .requiredOption("--body <text>", "message text")
    .option(
      "--url <url>",
      "the bridge's base URL (default: the running bridge, or bridge.publicUrl)",
    )
    .option("--json", "one JSON object at the end")
    .action(async (options: { to: string; body: string; url?: string; json?: boolean }) => {
      const { simulateReply } = await import("./commands/simulate.js");
      setExit(await reportAsJson(options.json, await context(), (c) => simulateReply(options, c)));
    });

  const config = program.command("config").description("read and write the configuration file");
  config
    .command("get [key]")
    .description("print a setting (secrets masked), or every setting with its source")
    .option("--json", "machine-readable output")
    .action(async (key: string | undefined, options: { json?: boolean }) => {
      const { configGet } = await import("./commands/config.js");
      setExit(configGet(key, await context(), options.json ?? false));
    });
  config
    .command("set <key> <value>")
    .description("validate and save a setting in the config file")
    .option("--json", "one JSON object at the end")
    .action(async (key: string, value: string, options: { json?: boolean }) => {
      const { configSet } = await import("./commands/config.js");
      setExit(
        await reportAsJson(options.json, await context(), async (c) => configSet(key, value, c)),
      );
    });
  config
    .command("path")
    .description("print where the config file is")
    .option("--json", "one JSON object at the end")
    .action(async (options: { json?: boolean }) => {
      const { configPath } = await import("./commands/config.js");
      setExit(await reportAsJson(options.json, await context(), async (c) => configPath(c)));
    });
  program
    .command("completion")
    .description("print a shell completion script: bash, zsh or fish")
    .argument("<shell>", "bash, zsh or fish")
    .action(async (shell: string) => {
      if (!["bash", "zsh", "fish"].includes(shell))
        throw new BridgeError(`No completion for "${shell}".`, {
          hint: "Use `front-twilio completion bash`, `zsh` or `fish`.",
          exitCode: 2,
        });
      const { completionScript } = await import("./completion.js");
      (deps.stdout ?? process.stdout).write(completionScript(shell as Shell, program));
    });
}
