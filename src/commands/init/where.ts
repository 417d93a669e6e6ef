import chalk from "chalk";
import type { Answers } from "./answers.js";
import type { Prompter } from "./prompter.js";

/** Where the bridge will run: a public HTTPS URL, or behind the dev tunnel (no URL yet). */
export async function pickPublicUrl(
  answers: Answers,
  prompter: Prompter,
  options: { tunnel?: boolean },
): Promise<string | undefined> {
  if (options.tunnel) return undefined;
  if (!answers.mayAsk("bridge.publicUrl"))
    return answers.current("bridge.publicUrl") as string | undefined;
  const where = await prompter.select({
    name: "bridge.where",
    message: "Where will the bridge run?",
    choices: [
      {
        name: "At a public HTTPS URL (server, container, reverse proxy)",
        value: "public" as const,
      },
      {
        name: "On this machine, behind the dev tunnel (front-twilio serve --tunnel)",
        value: "tunnel" as const,
      },
    ],
  });
  return where === "tunnel"
    ? undefined
    : answers.text("bridge.publicUrl", "Public URL of the bridge (https://…)");
}

/** The real next commands, in order, for where the bridge will run. */
export function nextSteps(publicUrl: string | undefined, profile: string): string[] {
  const ft = profile === "default" ? "front-twilio" : `front-twilio --profile ${profile}`;
  const steps = publicUrl
    ? [
        [`${ft} serve`, `on the host that ${publicUrl} reaches`],
        [`${ft} doctor`, "checks everything, including the bridge through its public URL"],
        [`${ft} send-test --to <your mobile>`, "a real SMS, followed until delivered"],
      ]
    : [
        [`${ft} serve --tunnel`, "opens the dev tunnel and points Twilio and Front at it"],
        [`${ft} send-test --via-bridge --to <your mobile>`, "in a second terminal, while it runs"],
        [`${ft} doctor`, "in a second terminal: checks everything through the live tunnel"],
      ];
  return [
    "\nNext:\n",
    ...steps.map(
      ([command, why], i) => `  ${i + 1}. ${chalk.bold(command!)}  ${chalk.dim(`# ${why}`)}\n`,
    ),
  ];
}
