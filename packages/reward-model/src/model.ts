import type { JsonValue } from '@autotraj/trajectory';
import { EmptyBatchError } from './errors.js';
import {
  type FeatureBatch,
  type FeaturizeItem,
  type FeaturizerConfig,
  featurize,
} from './featurize.js';
import { createRng } from './rng.js';

export type FloatVector = Float32Array | Float64Array;

/**
 * The scorer network: r = w3 · relu(W2ᵀ relu(Σ_k w_k E[id_k] + Wdᵀ x̂ + b1) + b2) + b3, where
 * the sum is an embedding bag over the hashed n-grams and x̂ the standardised structural
 * features ((x - mean) * scale). Small on purpose: it runs inside the RL rollout loop.
 */
export interface RewardModelParams {
  /** [numBuckets, embeddingDim] row-major. */
  embedding: FloatVector;
  /** [denseDim, embeddingDim]. */
  denseWeight: FloatVector;
  bias1: FloatVector;
  /** [embeddingDim, hiddenDim]. */
  weight2: FloatVector;
  bias2: FloatVector;
  /** [hiddenDim]. */
  weight3: FloatVector;
  bias3: FloatVector;
}

export interface RewardModelShape {
  numBuckets: number;
  denseDim: number;
  embeddingDim: number;
  hiddenDim: number;
}

export interface RewardModel {
  shape: RewardModelShape;
  params: RewardModelParams;
  /** Standardisation of the structural features, fitted on the training items. */
  denseMean: Float32Array;
  denseScale: Float32Array;
  featurizer: { version: string; configHash: string; config: FeaturizerConfig };
  /** What the model was trained on (pair counts, sources, accuracy); goes into the ONNX metadata. */
  trainingSummary: Record<string, JsonValue>;
}

export const PARAM_NAMES = [
  'embedding',
  'denseWeight',
  'bias1',
  'weight2',
  'bias2',
  'weight3',
  'bias3',
] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export function paramSizes(shape: RewardModelShape): Record<ParamName, number> {
  return {
    embedding: shape.numBuckets * shape.embeddingDim,
    denseWeight: shape.denseDim * shape.embeddingDim,
    bias1: shape.embeddingDim,
    weight2: shape.embeddingDim * shape.hiddenDim,
    bias2: shape.hiddenDim,
    weight3: shape.hiddenDim,
    bias3: 1,
  };
}

/** Seeded initialisation: small embeddings, He-scaled layers feeding ReLUs. */
export function initParams(
  shape: RewardModelShape,
  options: { seed: number; precision?: 'float32' | 'float64' },
): RewardModelParams {
  const rng = createRng(options.seed);
  const make = (n: number) =>
    options.precision === 'float64' ? new Float64Array(n) : new Float32Array(n);
  const sizes = paramSizes(shape);
  const fill = (v: FloatVector, std: number) => {
    for (let i = 0; i < v.length; i++) v[i] = rng.normal() * std;
    return v;
  };
  return {
    embedding: fill(make(sizes.embedding), 0.1),
    denseWeight: fill(make(sizes.denseWeight), Math.sqrt(1 / shape.denseDim)),
    bias1: fill(make(sizes.bias1), 0.01),
    weight2: fill(make(sizes.weight2), Math.sqrt(2 / shape.embeddingDim)),
    bias2: fill(make(sizes.bias2), 0.01),
    weight3: fill(make(sizes.weight3), Math.sqrt(1 / shape.hiddenDim)),
    bias3: make(1),
  };
}

/** Activations of one item, kept for the backward pass. */
export interface ForwardCache {
  xn: Float64Array;
  z1: Float64Array;
  a1: Float64Array;
  z2: Float64Array;
  a2: Float64Array;
}

export function createForwardCache(shape: RewardModelShape): ForwardCache {
  return {
    xn: new Float64Array(shape.denseDim),
    z1: new Float64Array(shape.embeddingDim),
    a1: new Float64Array(shape.embeddingDim),
    z2: new Float64Array(shape.hiddenDim),
    a2: new Float64Array(shape.hiddenDim),
  };
}

type ModelCore = Pick<RewardModel, 'shape' | 'params' | 'denseMean' | 'denseScale'>;

/** Score of item `i` of `batch`; activations land in `cache`. */
export function forwardItem(
  model: ModelCore,
  batch: FeatureBatch,
  i: number,
  cache: ForwardCache,
): number {
  const { embeddingDim: H, hiddenDim: H2, denseDim: D } = model.shape;
  const p = model.params;
  const { xn, z1, a1, z2, a2 } = cache;
  for (let h = 0; h < H; h++) z1[h] = p.bias1[h]!;
  const start = batch.offsets[i]!;
  const end = batch.offsets[i + 1]!;
  for (let k = start; k < end; k++) {
    const row = batch.ids[k]! * H;
    const w = batch.weights[k]!;
    for (let h = 0; h < H; h++) z1[h]! += w * p.embedding[row + h]!;
  }
  const dOff = i * D;
  for (let j = 0; j < D; j++) {
    const x = (batch.dense[dOff + j]! - model.denseMean[j]!) * model.denseScale[j]!;
    xn[j] = x;
    if (x === 0) continue;
    const row = j * H;
    for (let h = 0; h < H; h++) z1[h]! += x * p.denseWeight[row + h]!;
  }
  for (let h = 0; h < H; h++) a1[h] = Math.max(z1[h]!, 0);
  for (let o = 0; o < H2; o++) z2[o] = p.bias2[o]!;
  for (let h = 0; h < H; h++) {
    const a = a1[h]!;
    if (a === 0) continue;
    const row = h * H2;
    for (let o = 0; o < H2; o++) z2[o]! += a * p.weight2[row + o]!;
  }
  let r = p.bias3[0]!;
  for (let o = 0; o < H2; o++) {
    const a = Math.max(z2[o]!, 0);
    a2[o] = a;
    r += a * p.weight3[o]!;
  }
  return r;
}

/** Gradient buffers; the embedding gradient is dense storage with a list of touched rows. */
export interface Gradients {
  embedding: Float64Array;
  touchedRows: Int32Array;
  touchedCount: number;
  rowTouched: Uint8Array;
  denseWeight: Float64Array;
  bias1: Float64Array;
  weight2: Float64Array;
  bias2: Float64Array;
  weight3: Float64Array;
  bias3: Float64Array;
  /** Scratch for the backward pass. */
  dz1: Float64Array;
  dz2: Float64Array;
}

export function createGradients(shape: RewardModelShape): Gradients {
  const sizes = paramSizes(shape);
  return {
    embedding: new Float64Array(sizes.embedding),
    touchedRows: new Int32Array(1024),
    touchedCount: 0,
    rowTouched: new Uint8Array(shape.numBuckets),
    denseWeight: new Float64Array(sizes.denseWeight),
    bias1: new Float64Array(sizes.bias1),
    weight2: new Float64Array(sizes.weight2),
    bias2: new Float64Array(sizes.bias2),
    weight3: new Float64Array(sizes.weight3),
    bias3: new Float64Array(1),
    dz1: new Float64Array(shape.embeddingDim),
    dz2: new Float64Array(shape.hiddenDim),
  };
}

/** Zero the gradients (only the touched embedding rows, so a step costs what the batch touched). */
export function zeroGradients(g: Gradients, shape: RewardModelShape): void {
  const H = shape.embeddingDim;
  for (let t = 0; t < g.touchedCount; t++) {
    const row = g.touchedRows[t]!;
    g.rowTouched[row] = 0;
    g.embedding.fill(0, row * H, row * H + H);
  }
  g.touchedCount = 0;
  for (const name of ['denseWeight', 'bias1', 'weight2', 'bias2', 'weight3', 'bias3'] as const)
    g[name].fill(0);
}

/** Accumulate dScore/dParams * `dr` for item `i` (whose forward pass filled `cache`). */
export function backwardItem(
  model: ModelCore,
  batch: FeatureBatch,
  i: number,
  cache: ForwardCache,
  dr: number,
  g: Gradients,
): void {
  const { embeddingDim: H, hiddenDim: H2, denseDim: D } = model.shape;
  const p = model.params;
  const { xn, z1, a1, z2, a2 } = cache;
  const { dz1, dz2 } = g;
  g.bias3[0]! += dr;
  for (let o = 0; o < H2; o++) {
    g.weight3[o]! += dr * a2[o]!;
    dz2[o] = z2[o]! > 0 ? dr * p.weight3[o]! : 0;
    g.bias2[o]! += dz2[o]!;
  }
  for (let h = 0; h < H; h++) {
    const row = h * H2;
    const a = a1[h]!;
    let s = 0;
    for (let o = 0; o < H2; o++) {
      g.weight2[row + o]! += a * dz2[o]!;
      s += p.weight2[row + o]! * dz2[o]!;
    }
    dz1[h] = z1[h]! > 0 ? s : 0;
    g.bias1[h]! += dz1[h]!;
  }
  for (let j = 0; j < D; j++) {
    const x = xn[j]!;
    if (x === 0) continue;
    const row = j * H;
    for (let h = 0; h < H; h++) g.denseWeight[row + h]! += x * dz1[h]!;
  }
  const start = batch.offsets[i]!;
  const end = batch.offsets[i + 1]!;
  for (let k = start; k < end; k++) {
    const id = batch.ids[k]!;
    if (g.rowTouched[id] === 0) {
      g.rowTouched[id] = 1;
      if (g.touchedCount === g.touchedRows.length) {
        const grown = new Int32Array(g.touchedRows.length * 2);
        grown.set(g.touchedRows);
        g.touchedRows = grown;
      }
      g.touchedRows[g.touchedCount++] = id;
    }
    const row = id * H;
    const w = batch.weights[k]!;
    for (let h = 0; h < H; h++) g.embedding[row + h]! += w * dz1[h]!;
  }
}

/** Scores of every item of a featurized batch (the TypeScript reference forward pass). */
export function scoreFeatures(model: ModelCore, batch: FeatureBatch): Float32Array {
  const cache = createForwardCache(model.shape);
  const out = new Float32Array(batch.size);
  for (let i = 0; i < batch.size; i++) out[i] = forwardItem(model, batch, i, cache);
  return out;
}

/** Featurize and score in TypeScript (no ONNX): the reference the ONNX scorer is tested against. */
export function scoreWithModel(
  model: RewardModel,
  items: ReadonlyArray<FeaturizeItem>,
): Float32Array {
  if (items.length === 0) throw new EmptyBatchError({ what: 'scoreWithModel' });
  return scoreFeatures(model, featurize(items, model.featurizer.config));
}
