import { FEATURIZER_VERSION, featurizerConfigHash, resolveFeaturizerConfig } from '../featurize.js';
import { initParams, type RewardModel } from '../model.js';
import { exportOnnx } from '../onnx-export.js';
import { STRUCTURAL_FEATURE_COUNT } from '../structural-features.js';

/**
 * An untrained reward model (seeded random weights) exported to ONNX, so tests and benchmarks
 * exercise the real onnxruntime scorer without a training run. Its scores mean nothing.
 */
export async function writeRandomRewardModel(
  path: string,
  options: { seed?: number; numBuckets?: number } = {},
): Promise<string> {
  const config = resolveFeaturizerConfig({ numBuckets: options.numBuckets ?? 4096 });
  const shape = {
    numBuckets: config.numBuckets,
    denseDim: STRUCTURAL_FEATURE_COUNT,
    embeddingDim: 16,
    hiddenDim: 8,
  };
  const model: RewardModel = {
    shape,
    params: initParams(shape, { seed: options.seed ?? 7 }),
    denseMean: new Float32Array(shape.denseDim),
    denseScale: new Float32Array(shape.denseDim).fill(1),
    featurizer: { version: FEATURIZER_VERSION, configHash: featurizerConfigHash(config), config },
    trainingSummary: { note: 'untrained, random weights (test fixture)' },
  };
  await exportOnnx(model, { path });
  return path;
}
