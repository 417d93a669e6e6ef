import type { Command } from "commander";

/** Examples shown at the end of each command's --help (checked by a test to cover every command). */
export const EXAMPLES: Record<string, string[]> = {
  "front-twilio": [
    "front-twilio demo                      # try it, no accounts needed",
    "front-twilio init                      # guided setup",
    "front-twilio serve --tunnel            # develop against a dev tunnel",
    "front-twilio send-test --to +14155550123",
  ],
  serve: [
    "front-twilio serve --public-url https://sms.example.com",
    "front-twilio serve --tunnel            # dev tunnel; Twilio and Front are pointed at it",
    "front-twilio serve --port 8080 --host 127.0.0.1 --log-format json",
  ],
  demo: ["front-twilio demo", "front-twilio demo --keep --port 3999"],
  init: [
    "front-twilio init",
    "front-twilio init --tunnel",
    "front-twilio init --no-interactive --front-token $FRONT_API_TOKEN --front-channel cha_123 \\\n      --twilio-account-sid $TWILIO_ACCOUNT_SID --twilio-auth-token $TWILIO_AUTH_TOKEN \\\n      --twilio-number +14155550100 --public-url https://sms.example.com",
  ],
  doctor: [
    "front-twilio doctor",
    "front-twilio doctor --json | jq '.checks[] | select(.status != \"pass\")'",
  ],
  "send-test": [
    "front-twilio send-test --to +14155550123",
    "front-twilio send-test --via-bridge --to +14155550123   # through the running bridge to Front",
    "front-twilio send-test --inbound --to +14155550123 --json",
  ],
  reconcile: ["front-twilio reconcile --since 3d", "front-twilio reconcile --since 2h --json"],
  status: ["front-twilio status", "front-twilio status --url http://127.0.0.1:3000 --json"],
  routes: [
    "front-twilio routes",
    "front-twilio routes add --number +14155550111 --channel cha_sales",
  ],
  "routes list": ["front-twilio routes list", "front-twilio routes list --json"],
  "routes add": [
    "front-twilio routes add",
    "front-twilio routes add --number +14155550111 --channel cha_sales --inbox inb_sales --no-interactive",
  ],
  "routes remove": ["front-twilio routes remove --number +14155550111"],
  report: [
    "front-twilio report                    # the last 7 days, SMS beside the other inboxes",
    "front-twilio report --since 30d --by week --html sms-report.html",
    "front-twilio report --from 2026-11-01 --to 2026-11-30 --timezone Europe/Paris --csv > nov.csv",
    "front-twilio report --route +14155550100 --compare inb_123 --json",
  ],
  queue: ["front-twilio queue", "front-twilio queue retry --dead"],
  "queue list": ["front-twilio queue list --json"],
  "queue retry": ["front-twilio queue retry 42", "front-twilio queue retry --dead"],
  "queue drop": ["front-twilio queue drop 42"],
  simulate: ['front-twilio simulate sms --from +14155550123 --body "Hello"'],
  "simulate sms": [
    'front-twilio simulate sms --from +14155550123 --body "Hello"',
    'front-twilio simulate sms --from +14155550123 --body "Photo" --media https://example.com/a.jpg',
  ],
  "simulate reply": ['front-twilio simulate reply --to +14155550123 --body "Hi, how can we help?"'],
  config: ["front-twilio config get", "front-twilio config set phone.defaultCountry US"],
  "config get": ["front-twilio config get", "front-twilio config get twilio.phoneNumber"],
  "config set": [
    "front-twilio config set twilio.phoneNumber +14155550100",
    "front-twilio --profile staging config set bridge.publicUrl https://sms-staging.example.com",
  ],
  "config path": ["front-twilio config path"],
  completion: [
    "front-twilio completion bash >> ~/.bashrc",
    "front-twilio completion zsh > ~/.zfunc/_front-twilio",
    "front-twilio completion fish > ~/.config/fish/completions/front-twilio.fish",
  ],
};

/** The command's path without the program name: "queue retry". */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ") || command.name();
}

export function addExamples(program: Command): void {
  const visit = (command: Command) => {
    const examples = EXAMPLES[commandPath(command)];
    if (examples)
      command.addHelpText("after", `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n`);
    command.commands.forEach(visit);
  };
  visit(program);
}
