import { parseSetting, getPath } from "../config/resolve.js";
import {
  SETTINGS,
  findSetting,
  describeSource,
  type Setting,
  type SettingKey,
  type SettingValue,
} from "../config/schema.js";
import { ConfigError } from "../errors.js";
import { InvalidAddressError, toAddress } from "../phone.js";
import { maskSecret } from "../log.js";
import { loadConfig, type CommandContext } from "./context.js";

function settingOrThrow(key: string): Setting & { key: SettingKey } {
  const setting = findSetting(key);
  if (!setting) {
    throw new ConfigError(`Unknown config key "${key}".`, {
      hint: `Known keys: ${SETTINGS.map((s) => s.key).join(", ")}.`,
      exitCode: 2,
    });
  }
  return setting;
}

function show(setting: Setting, value: SettingValue | undefined, asked = false): string {
  if (value === undefined) return "(not set)";
  const text = String(value);
  return setting.secret && !(asked && setting.revealOnRequest) ? maskSecret(text) : text;
}

/**
 * `config get [KEY]`: the resolved value (secrets masked) and where it came from. The path token
 * of /front/<token>, masked everywhere else, is printed in full when asked for by name.
 */
export function configGet(key: string | undefined, context: CommandContext, json = false): number {
  const { config, sources } = loadConfig(context);
  const settings = key ? [settingOrThrow(key)] : SETTINGS;
  const rows = settings.map((s) => ({
    key: s.key,
    value: show(s, getPath(config, s.key) as SettingValue | undefined, key !== undefined),
    source: sources[s.key] ?? (getPath(config, s.key) === undefined ? "unset" : "default"),
  }));
  if (json) context.stdout.write(`${JSON.stringify(key ? rows[0] : rows, null, 2)}\n`);
  else if (key) context.stdout.write(`${rows[0]!.value}\n`);
  else
    for (const row of rows)
      context.stdout.write(`${row.key.padEnd(22)} ${row.value.padEnd(34)} ${row.source}\n`);
  return 0;
}

/** `config set KEY VALUE`: validated, then written to the profile's file (mode 0600). */
export function configSet(key: string, value: string, context: CommandContext): number {
  const setting = settingOrThrow(key);
  if (!setting.stored) {
    throw new ConfigError(`${key} is not kept in the config file.`, {
      hint: `Set it with ${describeSource(setting)}.`,
    });
  }
  let parsed = parseSetting(setting, value, "config set");
  const store = context.configStore();
  if (key === "twilio.phoneNumber") parsed = ownNumber(String(parsed), store.read());
  const routes = store.read().routes;
  const field = ROUTE_FIELD[key];
  if (field && Array.isArray(routes) && routes.length > 0) {
    // The file lists routes: the single-route key names a field of its only route.
    if (routes.length > 1)
      throw new ConfigError(`${key} names one route, and ${store.path} lists ${routes.length}.`, {
        hint: "Change routes with `front-twilio routes add` and `front-twilio routes remove` (`routes list` shows them).",
      });
    store.set("routes", [{ ...(routes[0] as object), [field]: parsed }]);
  } else store.set(key, parsed);
  context.stdout.write(`${key} = ${show(setting, parsed)}  (${store.path})\n`);
  return 0;
}

export function configPath(context: CommandContext): number {
  context.stdout.write(`${context.configStore().path}\n`);
  return 0;
}

const ROUTE_FIELD: Partial<Record<string, string>> = {
  "twilio.phoneNumber": "number",
  "front.channelId": "channel",
  "front.inboxId": "inbox",
};

/** Our number is saved in E.164, so a national form needs phone.defaultCountry to be known now. */
function ownNumber(value: string, file: Record<string, unknown>): string {
  const country = getPath(file, "phone.defaultCountry") as string | undefined;
  try {
    return toAddress(value, country);
  } catch (error) {
    if (!(error instanceof InvalidAddressError)) throw error;
    throw new ConfigError(`Invalid twilio.phoneNumber "${value}": ${error.reason}.`, {
      hint: "Write it in E.164 form (+14155550100), or first `front-twilio config set phone.defaultCountry US`.",
    });
  }
}
