import { dirname, join } from "node:path";
import Conf from "conf";
import { ConfigError } from "../errors.js";

/** The config file for one profile: conf, mode 0600, never cleared when invalid. */
export interface ConfigStore {
  readonly path: string;
  read(): Record<string, unknown>;
  set(key: string, value: unknown): void;
  /** Writes the whole file (a migration of its format). */
  replace(contents: Record<string, unknown>): void;
  setMany(values: Record<string, string | number | boolean>): void;
  delete(key: string): void;
  /** Where the profile keeps its data when bridge.dataDir is not set. */
  defaultDataDir(): string;
}

export interface ConfigStoreOptions {
  profile?: string;
  /** Directory of the config files; FRONT_TWILIO_CONFIG_DIR, otherwise the OS config dir. */
  cwd?: string;
}

export function createConfigStore(options: ConfigStoreOptions = {}): ConfigStore {
  const profile = options.profile ?? "default";
  if (!/^[\w-]+$/.test(profile)) {
    throw new ConfigError(`Invalid profile name "${profile}".`, {
      hint: "Use letters, digits, - and _ in --profile.",
    });
  }
  let conf: Conf<Record<string, unknown>>;
  try {
    conf = new Conf({
      projectName: "front-twilio",
      projectSuffix: "",
      configName: profile === "default" ? "config" : `config.${profile}`,
      configFileMode: 0o600,
      clearInvalidConfig: false,
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
  } catch (error) {
    throw new ConfigError(`The config file could not be read: ${(error as Error).message}`, {
      hint: "Fix or delete the file (see `front-twilio config path`), then run `front-twilio init`.",
      cause: error,
    });
  }
  return {
    path: conf.path,
    read: () => structuredClone(conf.store),
    set: (key, value) => conf.set(key, value),
    replace: (contents) => {
      conf.store = contents;
    },
    setMany: (values) => conf.set(values),
    delete: (key) => conf.delete(key),
    defaultDataDir: () => join(dirname(conf.path), "data", profile),
  };
}
