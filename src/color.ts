import chalk from "chalk";

/**
 * chalk 5 reads FORCE_COLOR but not NO_COLOR (https://no-color.org), and not the `.env` file:
 * decide once, before any output. --no-color wins, then FORCE_COLOR, then NO_COLOR.
 */
export function applyColorChoice(argv: readonly string[], env: Record<string, string | undefined>) {
  if (argv.includes("--no-color")) {
    chalk.level = 0;
    return;
  }
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") {
    const level = force === "true" ? 1 : Number(force);
    chalk.level = force === "false" || level === 0 ? 0 : (Math.min(3, level || 1) as 1 | 2 | 3);
    return;
  }
  if (env.NO_COLOR) chalk.level = 0;
}
