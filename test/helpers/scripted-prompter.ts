import type { Prompter } from "../../src/commands/init/prompter.js";

export interface AskedQuestion {
  name: string;
  message: string;
  default?: unknown;
  choices?: unknown[];
}

/**
 * Answers init's questions from a script keyed by question name. A question the script does not
 * expect fails the test; `cancelAt` simulates Ctrl+C at that question. A list of answers is used
 * one per asking.
 */
export function scriptedPrompter(
  script: Record<string, string | boolean | (string | boolean)[]>,
  options: { cancelAt?: string } = {},
) {
  const asked: AskedQuestion[] = [];
  function answer(question: AskedQuestion): string | boolean {
    asked.push(question);
    if (question.name === options.cancelAt) {
      throw Object.assign(new Error("User force closed the prompt with SIGINT"), {
        name: "ExitPromptError",
      });
    }
    if (!(question.name in script))
      throw new Error(`unexpected question "${question.name}": ${question.message}`);
    // A list answers the same question differently each time it is asked (a re-asked credential).
    const value = script[question.name]!;
    return Array.isArray(value) ? value.shift()! : value;
  }
  const prompter: Prompter = {
    input: async (q) => {
      const value = answer(q) as string;
      return value === "" && q.default !== undefined ? q.default : value;
    },
    password: async (q) => answer(q) as string,
    confirm: async (q) => answer(q) as boolean,
    select: async (q) => answer(q) as never,
  };
  return { prompter, asked };
}
