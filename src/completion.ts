import type { Command } from "commander";
import { commandPath } from "./help-examples.js";

export type Shell = "bash" | "zsh" | "fish";

interface Entry {
  path: string;
  subcommands: string[];
  options: string[];
}

/** Every command path with its subcommands and long options, read from the program itself. */
function entries(program: Command): Entry[] {
  const list: Entry[] = [];
  const visit = (command: Command) => {
    list.push({
      path: command.parent ? commandPath(command) : "",
      subcommands: command.commands.map((c) => c.name()),
      options: [
        ...command.options.map((o) => o.long).filter((o): o is string => Boolean(o)),
        "--help",
      ],
    });
    command.commands.forEach(visit);
  };
  visit(program);
  return list;
}

/** A completion script for the shell, generated from the commands, so it cannot drift. */
export function completionScript(shell: Shell, program: Command): string {
  const all = entries(program);
  const globals = all[0]!.options;
  if (shell === "fish") {
    const lines = ["complete -c front-twilio -f"];
    for (const entry of all) {
      const condition = entry.path
        ? `__fish_seen_subcommand_from ${entry.path.split(" ").at(-1)}`
        : "__fish_use_subcommand";
      for (const sub of entry.subcommands)
        lines.push(`complete -c front-twilio -n '${condition}' -a ${sub}`);
      for (const option of entry.options)
        lines.push(`complete -c front-twilio -n '${condition}' -l ${option.slice(2)}`);
    }
    return `${lines.join("\n")}\n`;
  }
  const cases = all
    .map(
      (e) =>
        `    "${e.path}") words="${[...e.subcommands, ...e.options, ...globals].join(" ")}" ;;`,
    )
    .join("\n");
  const known = all
    .map((e) => e.path)
    .filter(Boolean)
    .join("|");
  const bash = `# front-twilio completion for bash (and zsh through bashcompinit)
_front_twilio() {
  local cur path="" word words candidate
  cur="\${COMP_WORDS[COMP_CWORD]}"
  # Only words that extend a known command path count (not option values such as numbers).
  for word in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    candidate="\${path:+$path }$word"
    case "|${known}|" in *"|$candidate|"*) path="$candidate" ;; esac
  done
  case "$path" in
${cases}
    *) words="${globals.join(" ")}" ;;
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _front_twilio front-twilio
`;
  if (shell === "bash") return bash;
  return `#compdef front-twilio
autoload -U +X bashcompinit && bashcompinit
${bash}`;
}
