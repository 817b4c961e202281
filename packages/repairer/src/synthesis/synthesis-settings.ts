import { join } from 'node:path';
import {
  type JsonValue,
  type PromptTemplate,
  promptRef,
  type RecordedRunSettings,
  RUN_DEFAULTS,
  RUN_FILES,
  type RunSettings,
  readRunJson,
  type Sampling,
  synthesisManifestSchema,
} from '@autotraj/trajectory';
import type { CandidatesFromSetting } from './candidate-source.js';

/** What the library knows of a synthesis run's settings (a caller adds model file hashes, the task set, ...). */
export interface SynthesisSettingsInput {
  modelName: string;
  repairModelName: string | null;
  protocol: string;
  n: number;
  maxToolCalls: number;
  sampling: Sampling;
  prompt: PromptTemplate | null;
  instructions: string | undefined;
  repairPrompt: PromptTemplate | null;
  tools: ReadonlyArray<string>;
  preset: string | null;
  admission: string;
  repairStrategy: string;
  repairAttempts: number;
  seedDerivation: string;
  /** The candidates file the run takes its candidates from, or null when it samples them. */
  candidatesFrom: CandidatesFromSetting | null;
}

/**
 * The settings that make a rerun of `synthesize` the same run. Sampling is flattened so a
 * refusal names `temperature`, not `sampling`. Concurrency is not a setting: it changes no
 * output.
 */
export function synthesisRunSettings(input: SynthesisSettingsInput): RunSettings {
  return {
    model: input.modelName,
    repairModel: input.repairModelName,
    protocol: input.protocol,
    prompt: input.prompt === null ? { custom: input.instructions ?? '' } : promptRef(input.prompt),
    repairPrompt: input.repairPrompt === null ? null : promptRef(input.repairPrompt),
    preset: input.preset,
    n: input.n,
    temperature: input.sampling.temperature ?? null,
    topP: input.sampling.topP ?? null,
    maxTokens: input.sampling.maxOutputTokens ?? null,
    seed: input.sampling.seed ?? RUN_DEFAULTS.seed,
    seedDerivation: input.seedDerivation,
    tools: [...input.tools],
    maxToolCalls: input.maxToolCalls,
    admission: input.admission,
    repairStrategy: input.repairStrategy,
    repairAttempts: input.repairAttempts,
    // null, not absent, in a run that samples: resuming it with taken candidates is refused.
    candidatesFrom: input.candidatesFrom,
  };
}

/**
 * The settings a synthesis manifest written before `settings.json` existed recorded (its
 * `config` and `evaluatorPreset`), under today's names. Only these are compared on resume.
 */
export function synthesisSettingsFromManifest(dir: string): RecordedRunSettings | null {
  const file = join(dir, RUN_FILES.manifest);
  const manifest = readRunJson(file, synthesisManifestSchema, 'synthesis manifest');
  if (manifest === null) return null;
  if (manifest.settings !== undefined)
    return { file, command: 'synthesize', settings: manifest.settings, startedAt: null };
  const config = manifest.config ?? {};
  const settings: Record<string, JsonValue | undefined> = {
    model: config.model,
    repairModel: config.repairModel,
    protocol: config.protocol,
    prompt: config.prompt as JsonValue | undefined,
    repairPrompt: config.repairPrompt as JsonValue | undefined,
    preset: manifest.evaluatorPreset ?? config.preset,
    n: config.n,
    temperature: config.sampling?.temperature,
    maxTokens:
      config.sampling === undefined ? undefined : (config.sampling.maxOutputTokens ?? null),
    seed: config.sampling === undefined ? undefined : (config.sampling.seed ?? RUN_DEFAULTS.seed),
    seedDerivation: config.seedDerivation,
    tools: config.tools,
    maxToolCalls: config.maxToolCalls,
    admission: config.admission ?? manifest.admission,
  };
  return {
    file,
    command: null,
    settings: Object.fromEntries(
      Object.entries(settings).filter(
        (entry): entry is [string, JsonValue] => entry[1] !== undefined,
      ),
    ),
    startedAt: null,
  };
}
