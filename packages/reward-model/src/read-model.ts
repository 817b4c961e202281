import { readFile } from 'node:fs/promises';
import type { JsonValue } from '@autotraj/trajectory';
import { ModelSignatureError, RewardModelFileError } from './errors.js';
import { type FeaturizerConfig, resolveFeaturizerConfig } from './featurize.js';
import type { RewardModel, RewardModelShape } from './model.js';
import {
  METADATA_KEYS,
  REWARD_MODEL_INPUTS,
  REWARD_MODEL_KIND,
  REWARD_MODEL_OUTPUT,
} from './onnx-export.js';
import { type OnnxGraph, type OnnxModel, onnx, readFloatTensor } from './onnx-proto.js';

export interface OnnxFile {
  path: string;
  bytes: Uint8Array;
  proto: OnnxModel;
  props: Record<string, string>;
  inputNames: string[];
  outputNames: string[];
}

/** Read and decode an ONNX file, turning I/O and protobuf failures into `RewardModelFileError`s. */
export async function readOnnxFile(path: string): Promise<OnnxFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RewardModelFileError({
      path,
      problem: code === 'ENOENT' ? 'missing' : 'corrupt',
      detail: `cannot read model file (${code ?? String(error)})`,
      cause: error,
    });
  }
  if (bytes.byteLength === 0)
    throw new RewardModelFileError({ path, problem: 'truncated', detail: 'model file is empty' });
  let proto: OnnxModel;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (error) {
    // protobufjs reports a message that runs past the end of the buffer as "index out of range".
    const truncated = error instanceof RangeError || /index out of range/i.test(String(error));
    throw new RewardModelFileError({
      path,
      problem: truncated ? 'truncated' : 'corrupt',
      detail: truncated
        ? `model file is truncated (${bytes.byteLength} bytes; was the export or copy cut short?)`
        : `not an ONNX model: ${(error as Error).message}`,
      cause: error,
    });
  }
  const graph = proto.graph as OnnxGraph | null | undefined;
  if (
    graph === null ||
    graph === undefined ||
    graph.node.length === 0 ||
    graph.output.length === 0
  ) {
    throw new RewardModelFileError({
      path,
      problem: 'truncated',
      detail: 'model file holds no complete ONNX graph (truncated or not an ONNX model)',
    });
  }
  const initializers = new Set(graph.initializer.map((t) => t.name ?? ''));
  const props: Record<string, string> = {};
  for (const entry of proto.metadataProps) props[entry.key ?? ''] = entry.value ?? '';
  return {
    path,
    bytes,
    proto,
    props,
    inputNames: graph.input.map((v) => v.name ?? '').filter((name) => !initializers.has(name)),
    outputNames: graph.output.map((v) => v.name ?? ''),
  };
}

export function checkSignature(
  file: Pick<OnnxFile, 'path' | 'inputNames' | 'outputNames'>,
  expected: {
    inputs: readonly string[];
    outputs: readonly string[];
    optionalInputs?: readonly string[];
  },
): void {
  const allowed = new Set([...expected.inputs, ...(expected.optionalInputs ?? [])]);
  const missing = expected.inputs.filter((name) => !file.inputNames.includes(name));
  const unknown = file.inputNames.filter((name) => !allowed.has(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new ModelSignatureError({
      path: file.path,
      kind: 'inputs',
      expected: [...expected.inputs],
      found: file.inputNames,
    });
  }
  if (!expected.outputs.every((name) => file.outputNames.includes(name))) {
    throw new ModelSignatureError({
      path: file.path,
      kind: 'outputs',
      expected: [...expected.outputs],
      found: file.outputNames,
    });
  }
}

export interface RewardModelMetadata {
  featurizerVersion: string;
  configHash: string;
  featurizerConfig: FeaturizerConfig;
  shape: RewardModelShape;
  trainingSummary: Record<string, JsonValue>;
  /** Every metadata_props entry, ours and any added at export. */
  props: Record<string, string>;
}

function parseJsonProp(file: OnnxFile, key: string): unknown {
  const raw = file.props[key];
  if (raw === undefined)
    throw new RewardModelFileError({
      path: file.path,
      problem: 'not-a-reward-model',
      detail: `metadata "${key}" is missing`,
    });
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new RewardModelFileError({
      path: file.path,
      problem: 'corrupt',
      detail: `metadata "${key}" is not valid JSON`,
      cause: error,
    });
  }
}

/** The reward-model metadata of a decoded file; typed errors when it is not one of ours. */
export function rewardModelMetadata(file: OnnxFile): RewardModelMetadata {
  checkSignature(file, { inputs: REWARD_MODEL_INPUTS, outputs: [REWARD_MODEL_OUTPUT] });
  if (file.props[METADATA_KEYS.kind] !== REWARD_MODEL_KIND) {
    throw new RewardModelFileError({
      path: file.path,
      problem: 'not-a-reward-model',
      detail: `metadata "${METADATA_KEYS.kind}" is not "${REWARD_MODEL_KIND}"; not exported by @autotraj/reward-model`,
    });
  }
  const version = file.props[METADATA_KEYS.featurizerVersion];
  const configHash = file.props[METADATA_KEYS.configHash];
  if (version === undefined || configHash === undefined) {
    throw new RewardModelFileError({
      path: file.path,
      problem: 'not-a-reward-model',
      detail: 'featurizer version or config hash missing from metadata',
    });
  }
  let featurizerConfig: FeaturizerConfig;
  try {
    featurizerConfig = resolveFeaturizerConfig(
      parseJsonProp(file, METADATA_KEYS.featurizerConfig) as FeaturizerConfig,
    );
  } catch (error) {
    if (RewardModelFileError.isInstance(error)) throw error;
    throw new RewardModelFileError({
      path: file.path,
      problem: 'corrupt',
      detail: 'featurizer config in metadata is invalid',
      cause: error,
    });
  }
  return {
    featurizerVersion: version,
    configHash,
    featurizerConfig,
    shape: parseJsonProp(file, METADATA_KEYS.shape) as RewardModelShape,
    trainingSummary: parseJsonProp(file, METADATA_KEYS.trainingSummary) as Record<
      string,
      JsonValue
    >,
    props: file.props,
  };
}

/** Load an exported reward model back into TypeScript (weights and all), e.g. to inspect or fine-tune it. */
export async function loadRewardModel(path: string): Promise<RewardModel> {
  const file = await readOnnxFile(path);
  const meta = rewardModelMetadata(file);
  const tensors = new Map(
    (file.proto.graph as OnnxGraph).initializer.map((t) => [t.name ?? '', t]),
  );
  const get = (name: string, length: number) => {
    const tensor = tensors.get(name);
    const values = tensor === undefined ? undefined : readFloatTensor(tensor);
    if (values === undefined || values.length !== length) {
      throw new RewardModelFileError({
        path,
        problem: 'corrupt',
        detail: `initializer "${name}" is missing or has the wrong size`,
      });
    }
    return values;
  };
  const { numBuckets, denseDim: D, embeddingDim: H, hiddenDim: H2 } = meta.shape;
  return {
    shape: meta.shape,
    params: {
      embedding: get('embedding', numBuckets * H),
      denseWeight: get('dense_weight', D * H),
      bias1: get('bias1', H),
      weight2: get('weight2', H * H2),
      bias2: get('bias2', H2),
      weight3: get('weight3', H2),
      bias3: get('bias3', 1),
    },
    denseMean: get('dense_mean', D),
    denseScale: get('dense_scale', D),
    featurizer: {
      version: meta.featurizerVersion,
      configHash: meta.configHash,
      config: meta.featurizerConfig,
    },
    trainingSummary: meta.trainingSummary,
  };
}
