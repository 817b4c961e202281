import { ModelNotFetchedError } from '../errors.js';
import { type FetchedModelName, fetchedModelPath } from '../fetched-models.js';

/** CI sets AUTOTRAJ_REQUIRE_MODELS=1 after `./dev models`: there a missing model fails the run. */
export const requireModels = process.env.AUTOTRAJ_REQUIRE_MODELS === '1';

/** The fetched model's path, or undefined (with a note) where it is absent and not required. */
export function realModelPath(name: FetchedModelName): string | undefined {
  try {
    return fetchedModelPath(name);
  } catch (error) {
    if (requireModels || !ModelNotFetchedError.isInstance(error)) throw error;
    console.warn(`skipping the ${name} tests: ${error.message}`);
    return undefined;
  }
}
