import { type FetchedModelName, fetchedModelPath, ModelNotFetchedError } from '@autotraj/llama-cpp';

/** CI sets AUTOTRAJ_REQUIRE_MODELS=1 after `./dev models`: there a missing model fails the run. */
const requireModels = process.env.AUTOTRAJ_REQUIRE_MODELS === '1';

/** A fetched model's path, or undefined (saying which tests skip) where it is absent and not required. */
export function realModelPath(name: FetchedModelName, tests: string): string | undefined {
  try {
    return fetchedModelPath(name);
  } catch (error) {
    if (requireModels || !ModelNotFetchedError.isInstance(error)) throw error;
    console.warn(`skipping ${tests}: ${error.message}`);
    return undefined;
  }
}
