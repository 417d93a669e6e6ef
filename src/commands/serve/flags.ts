import { settingOf, type SettingKey } from "../../config/schema.js";

/** The settings `serve` takes as flags (their help texts come from the settings table). */
export const SERVE_SETTINGS = [
  "bridge.port",
  "bridge.host",
  "bridge.publicUrl",
  "bridge.dataDir",
] as const satisfies readonly SettingKey[];

/** What `serve` accepts, named in the list of missing settings. */
export const SERVE_FLAGS: readonly string[] = [
  ...SERVE_SETTINGS.map((key) => settingOf(key).flag!),
  "--tunnel",
  "--database-url",
];
