import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@autotraj/trajectory';
import { canonicalJson } from '@autotraj/trajectory/internal';
import type { RewardModel } from './model.js';
import {
  floatTensor,
  int64Tensor,
  node,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  onnx,
  TensorType,
  valueInfo,
} from './onnx-proto.js';

/** Input and output names of an exported reward model; the scorer checks a file against them. */
export const REWARD_MODEL_INPUTS = ['ngram_ids', 'ngram_weights', 'dense'] as const;
export const REWARD_MODEL_OUTPUT = 'score';

/** metadata_props keys written by `exportOnnx`. */
export const METADATA_KEYS = {
  kind: 'autotraj.kind',
  featurizerVersion: 'autotraj.featurizer_version',
  configHash: 'autotraj.featurizer_config_hash',
  featurizerConfig: 'autotraj.featurizer_config',
  shape: 'autotraj.model_shape',
  trainingSummary: 'autotraj.training_summary',
} as const;
export const REWARD_MODEL_KIND = 'autotraj-trajectory-reward-model';

export interface ExportOnnxOptions {
  path: string;
  /** Extra metadata_props (string values), e.g. a run id or the pairs file it came from. */
  metadata?: Record<string, string> | undefined;
}

/**
 * The ONNX graph of a reward model. Featurization stays in TypeScript; the graph takes the
 * padded n-gram bags and the structural features:
 *
 *   bag   = Squeeze(MatMul(Unsqueeze(ngram_weights, 1), Gather(embedding, ngram_ids)), 1)   [batch, H]
 *   z1    = bag + ((dense - mean) * scale) @ dense_weight + bias1
 *   score = Squeeze(Relu(Relu(z1) @ weight2 + bias2) @ weight3 + bias3, 1)                   [batch]
 *
 * (an EmbeddingBag as a batched weighted sum; padding has weight 0, so it is exact).
 */
export function rewardModelToOnnx(
  model: RewardModel,
  options: { metadata?: Record<string, string> } = {},
): Uint8Array {
  const { numBuckets, denseDim: D, embeddingDim: H, hiddenDim: H2 } = model.shape;
  const p = model.params;
  const initializer = [
    floatTensor('embedding', [numBuckets, H], p.embedding),
    floatTensor('dense_mean', [D], model.denseMean),
    floatTensor('dense_scale', [D], model.denseScale),
    floatTensor('dense_weight', [D, H], p.denseWeight),
    floatTensor('bias1', [H], p.bias1),
    floatTensor('weight2', [H, H2], p.weight2),
    floatTensor('bias2', [H2], p.bias2),
    floatTensor('weight3', [H2, 1], p.weight3),
    floatTensor('bias3', [1], p.bias3),
    int64Tensor('axis1', [1], [1]),
  ];
  const nodes = [
    node('Gather', ['embedding', 'ngram_ids'], ['gathered'], [{ name: 'axis', i: 0 }]),
    node('Unsqueeze', ['ngram_weights', 'axis1'], ['weights_row']),
    node('MatMul', ['weights_row', 'gathered'], ['bag_row']),
    node('Squeeze', ['bag_row', 'axis1'], ['bag']),
    node('Sub', ['dense', 'dense_mean'], ['dense_centered']),
    node('Mul', ['dense_centered', 'dense_scale'], ['dense_std']),
    node('MatMul', ['dense_std', 'dense_weight'], ['dense_proj']),
    node('Add', ['bag', 'dense_proj'], ['z1_nobias']),
    node('Add', ['z1_nobias', 'bias1'], ['z1']),
    node('Relu', ['z1'], ['a1']),
    node('MatMul', ['a1', 'weight2'], ['z2_nobias']),
    node('Add', ['z2_nobias', 'bias2'], ['z2']),
    node('Relu', ['z2'], ['a2']),
    node('MatMul', ['a2', 'weight3'], ['r_nobias']),
    node('Add', ['r_nobias', 'bias3'], ['r']),
    node('Squeeze', ['r', 'axis1'], [REWARD_MODEL_OUTPUT]),
  ];
  const props: Record<string, string> = {
    ...options.metadata,
    [METADATA_KEYS.kind]: REWARD_MODEL_KIND,
    [METADATA_KEYS.featurizerVersion]: model.featurizer.version,
    [METADATA_KEYS.configHash]: model.featurizer.configHash,
    [METADATA_KEYS.featurizerConfig]: canonicalJson(model.featurizer.config),
    [METADATA_KEYS.shape]: canonicalJson(model.shape),
    [METADATA_KEYS.trainingSummary]: canonicalJson(model.trainingSummary),
  };
  const proto = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: '@autotraj/reward-model',
    producerVersion: model.featurizer.version,
    docString:
      'AutoTraj trajectory reward model: higher score = better trajectory (Bradley-Terry logits).',
    graph: {
      name: 'autotraj_reward_model',
      node: nodes,
      initializer,
      input: [
        valueInfo('ngram_ids', TensorType.INT32, ['batch', 'bag']),
        valueInfo('ngram_weights', TensorType.FLOAT, ['batch', 'bag']),
        valueInfo('dense', TensorType.FLOAT, ['batch', D]),
      ],
      output: [valueInfo(REWARD_MODEL_OUTPUT, TensorType.FLOAT, ['batch'])],
    },
    metadataProps: Object.entries(props).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(proto).finish();
}

/** Write the model as ONNX to `path` (atomically: a killed export never leaves half a file). */
export async function exportOnnx(
  model: RewardModel,
  options: ExportOnnxOptions,
): Promise<{ path: string; bytes: number }> {
  const bytes = rewardModelToOnnx(
    model,
    options.metadata === undefined ? {} : { metadata: options.metadata },
  );
  await mkdir(dirname(options.path), { recursive: true });
  writeFileAtomic(options.path, bytes);
  return { path: options.path, bytes: bytes.byteLength };
}
