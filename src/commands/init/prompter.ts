/**
 * The questions `init` asks, behind a seam: @inquirer/prompts for people, a scripted prompter
 * in tests. `name` identifies a question so scripts can answer it (and fail on surprises).
 */
export interface Choice<T extends string> {
  name: string;
  value: T;
  description?: string;
}

export interface Prompter {
  input(question: {
    name: string;
    message: string;
    default?: string;
    validate?: (value: string) => string | true;
  }): Promise<string>;
  password(question: {
    name: string;
    message: string;
    validate?: (value: string) => string | true;
  }): Promise<string>;
  confirm(question: { name: string; message: string; default?: boolean }): Promise<boolean>;
  select<T extends string>(question: {
    name: string;
    message: string;
    choices: Choice<T>[];
    default?: T;
  }): Promise<T>;
}

/** The real prompts, loaded only when a person is there to answer them. */
export function createInquirerPrompter(): Prompter {
  const load = () => import("@inquirer/prompts");
  return {
    input: async ({ message, default: initial, validate }) =>
      (await load()).input({
        message,
        ...(initial === undefined ? {} : { default: initial }),
        ...(validate ? { validate } : {}),
      }),
    password: async ({ message, validate }) =>
      (await load()).password({ message, mask: "•", ...(validate ? { validate } : {}) }),
    confirm: async ({ message, default: initial }) =>
      (await load()).confirm({ message, ...(initial === undefined ? {} : { default: initial }) }),
    select: async ({ message, choices, default: initial }) =>
      (await load()).select({
        message,
        choices,
        ...(initial === undefined ? {} : { default: initial }),
      }),
  };
}

/** Ctrl+C at an @inquirer prompt rejects with ExitPromptError. */
export function isPromptCancel(error: unknown): boolean {
  return error instanceof Error && error.name === "ExitPromptError";
}
