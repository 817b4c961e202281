import { rejecting } from '@autotraj/trajectory/internal';
import {
  type FetchedModelName,
  type FetchedModelOptions,
  fetchedModelPath as fetchedModelPathUnchecked,
  modelsDir as modelsDirUnchecked,
} from '../fetched-models.js';
import { type GgufSummary, readGgufSummary as readGgufSummaryUnchecked } from '../gguf-info.js';
import { checkOptions, checkString, inputProblem, isObject } from '../input-check.js';
import {
  type LlamaCppSourceOptions,
  llamaCppSource as llamaCppSourceUnchecked,
} from '../llama-cpp-source.js';
import {
  detectToolCalling as detectToolCallingUnchecked,
  type ToolCallingSupport,
} from '../tool-template.js';
import { verifiedFetchedModelPath as verifiedUnchecked } from '../verify-fetched-model.js';

// The model-file, cache and template helpers of the main entry check their arguments first
// (`LlamaCppError` code `invalid_input` naming the function and the field; option keys strict):
// a misspelt `modelDir` looked in the default cache, a misspelt `cachedir` unpacked the source
// there, and a path that is not a string was reported as a missing file. An unknown model name
// stays `ModelNotFetchedError` (it lists the known ones). The async ones reject, never throw.

function checkFetched(entry: string, name: unknown, options: unknown): void {
  checkString(entry, 'name', name);
  checkOptions(entry, 'options', options, { modelsDir: 'string' });
}

/** The path of a model fetched by `./dev models` (see fetched-models.ts), arguments checked. */
export function fetchedModelPath(
  name: FetchedModelName,
  options: FetchedModelOptions = {},
): string {
  checkFetched('fetchedModelPath', name, options);
  return fetchedModelPathUnchecked(name, options);
}

/** `fetchedModelPath` with the file's SHA-256 checked (see verify-fetched-model.ts), checked. */
export function verifiedFetchedModelPath(
  name: FetchedModelName,
  options: FetchedModelOptions = {},
): Promise<string> {
  return rejecting(() => {
    checkFetched('verifiedFetchedModelPath', name, options);
    return verifiedUnchecked(name, options);
  });
}

/** The per-user models cache (see fetched-models.ts), the variables it reads checked. */
export function modelsDir(env: Record<string, string | undefined> = process.env): string {
  const entry = 'modelsDir';
  if (!isObject(env)) throw inputProblem(entry, 'env', 'expected an environment object');
  // Only the two variables read: an environment holds any names.
  for (const name of ['AUTOTRAJ_MODELS_DIR', 'XDG_CACHE_HOME'])
    if (env[name] !== undefined) checkString(entry, `env.${name}`, env[name], true);
  return modelsDirUnchecked(env);
}

/** A GGUF file's header (see gguf-info.ts), the path checked. */
export function readGgufSummary(file: string): Promise<GgufSummary> {
  return rejecting(() => {
    checkString('readGgufSummary', 'file', file);
    return readGgufSummaryUnchecked(file);
  });
}

/** A checkout of llama.cpp's source (see llama-cpp-source.ts), options checked first. */
export function llamaCppSource(options: LlamaCppSourceOptions = {}): Promise<string> {
  return rejecting(() => {
    checkOptions('llamaCppSource', 'options', options, { cacheDir: 'string' });
    return llamaCppSourceUnchecked(options);
  });
}

/** Whether a chat template can carry native tool calls (see tool-template.ts), checked. */
export function detectToolCalling(source: string): ToolCallingSupport {
  checkString('detectToolCalling', 'source', source, true);
  return detectToolCallingUnchecked(source);
}
