import type { GenerateTrajectoryOptions } from './types.js';

/**
 * The model-call settings a generation carries (sampling, abort signal, provider options),
 * with absent ones left out: both loops pass exactly these to the model.
 */
export function callSettings(generation: GenerateTrajectoryOptions): {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  seed?: number;
  abortSignal?: AbortSignal;
  providerOptions?: NonNullable<GenerateTrajectoryOptions['providerOptions']>;
} {
  const sampling = generation.sampling;
  return {
    ...(sampling?.temperature === undefined ? {} : { temperature: sampling.temperature }),
    ...(sampling?.topP === undefined ? {} : { topP: sampling.topP }),
    ...(sampling?.maxOutputTokens === undefined
      ? {}
      : { maxOutputTokens: sampling.maxOutputTokens }),
    ...(sampling?.seed === undefined ? {} : { seed: sampling.seed }),
    ...(generation.signal === undefined ? {} : { abortSignal: generation.signal }),
    ...(generation.providerOptions === undefined
      ? {}
      : { providerOptions: generation.providerOptions }),
  };
}
