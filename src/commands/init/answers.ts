import { getPath, parseSetting, type Resolved } from "../../config/resolve.js";
import { findSetting, type SettingKey, type SettingValue } from "../../config/schema.js";
import { maskSecret } from "../../log.js";
import type { Prompter } from "./prompter.js";

/**
 * The values init works with: given ones (flag, environment) are used as they are; otherwise a
 * person is asked, with the saved value as the default. Flags and answers are what init saves.
 */
export function createAnswers(resolved: Resolved, prompter: Prompter, interactive: boolean) {
  const toSave: Partial<Record<SettingKey, SettingValue>> = {};
  for (const [key, source] of Object.entries(resolved.sources)) {
    if (source === "flag")
      toSave[key as SettingKey] = getPath(resolved.config, key) as SettingValue;
  }
  /** Values a vendor refused: not offered again as the default. */
  const forgotten = new Set<SettingKey>();
  const current = (key: SettingKey) =>
    forgotten.has(key)
      ? undefined
      : (toSave[key] ?? (getPath(resolved.config, key) as SettingValue | undefined));
  const given = (key: SettingKey) =>
    resolved.sources[key] === "flag" || resolved.sources[key] === "env";
  const mayAsk = (key: SettingKey) => interactive && !given(key);

  function accept(key: SettingKey, raw: string): SettingValue {
    const value = parseSetting(findSetting(key)!, raw, "flag");
    toSave[key] = value;
    return value;
  }
  const validator = (key: SettingKey) => (raw: string) => {
    try {
      findSetting(key)!.parse(raw);
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };

  return {
    toSave,
    current,
    given,
    mayAsk,
    /** A refused value: ask again with no default, and do not save it. */
    forget(key: SettingKey) {
      forgotten.add(key);
      delete toSave[key];
    },
    /** Records a value init found or chose itself (a generated token, the channel's inbox). */
    set(key: SettingKey, value: SettingValue) {
      toSave[key] = value;
    },
    async text(key: SettingKey, message: string): Promise<string | undefined> {
      const existing = current(key);
      if (!mayAsk(key)) return existing === undefined ? undefined : String(existing);
      const answer = await prompter.input({
        name: key,
        message,
        validate: validator(key),
        ...(existing === undefined ? {} : { default: String(existing) }),
      });
      return String(accept(key, answer));
    },
    async secret(key: SettingKey, message: string, optional = false): Promise<string | undefined> {
      const existing = current(key) as string | undefined;
      if (!mayAsk(key)) return existing;
      const keep = existing
        ? ` (Enter keeps ${maskSecret(existing)})`
        : optional
          ? " (optional, Enter to skip)"
          : "";
      const answer = await prompter.password({
        name: key,
        message: `${message}${keep}`,
        validate: (value) => (value || existing || optional ? true : "required"),
      });
      return answer ? String(accept(key, answer)) : existing;
    },
  };
}

export type Answers = ReturnType<typeof createAnswers>;
