import { z } from 'zod';
import { canonicalJson } from '../ids.js';
import { type JsonValue, jsonValueSchema } from '../schemas/json-value.js';

/**
 * What makes two runs the same run: model and repair model (with file hashes for local
 * models), prompt, preset, sampling, n, tools, tool budget, task set, ... by name. A setting a
 * run does not use is `null`, not absent, so a rerun that drops it is still told apart.
 */
export type RunSettings = Record<string, JsonValue>;

export const runSettingsSchema = z.record(z.string(), jsonValueSchema);

/** What `settings.json` holds. */
export const runSettingsFileSchema = z.object({
  /** The command (or library function) that started the run, e.g. `synthesize`. */
  command: z.string(),
  settings: runSettingsSchema,
  /** When the run in this directory was first started. */
  startedAt: z.string(),
});
export type RunSettingsFile = z.infer<typeof runSettingsFileSchema>;

/** One setting that differs between the run recorded in a directory and the one asked for. */
export interface SettingDifference {
  setting: string;
  recorded: JsonValue;
  requested: JsonValue;
}

/**
 * The settings of `requested` whose value differs from `recorded`, compared as canonical JSON
 * (key order does not matter). A setting `recorded` lacks is not compared: the run was made
 * before that setting was recorded, so nothing is known of it (see `openRunDir`).
 */
export function diffRunSettings(
  recorded: RunSettings,
  requested: RunSettings,
): SettingDifference[] {
  const differences: SettingDifference[] = [];
  for (const [setting, value] of Object.entries(requested)) {
    if (!Object.hasOwn(recorded, setting)) continue;
    const before = recorded[setting] as JsonValue;
    if (canonicalJson(before) !== canonicalJson(value))
      differences.push({ setting, recorded: before, requested: value });
  }
  return differences;
}

/** `setting: recorded X, now Y` for each difference, values as JSON. */
export function formatSettingDifferences(
  differences: ReadonlyArray<SettingDifference>,
  name: (setting: string) => string = (setting) => setting,
): string {
  return differences
    .map(
      (d) =>
        `${name(d.setting)}: recorded ${clip(JSON.stringify(d.recorded))}, now ${clip(JSON.stringify(d.requested))}`,
    )
    .join('; ');
}

const clip = (text: string) => (text.length > 160 ? `${text.slice(0, 157)}...` : text);
