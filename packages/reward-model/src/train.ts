import type { JsonValue, PreferencePair, Trajectory } from '@autotraj/trajectory';
import { TrainingError } from './errors.js';
import {
  FEATURIZER_VERSION,
  type FeatureBatch,
  type FeaturizerConfigInput,
  featurize,
  featurizerConfigHash,
  resolveFeaturizerConfig,
} from './featurize.js';
import { checkValidationSplit, DEFAULT_VALIDATION_SPLIT } from './hold-out.js';
import { pairwiseAccuracy } from './metrics.js';
import {
  backwardItem,
  createForwardCache,
  createGradients,
  forwardItem,
  type Gradients,
  initParams,
  type RewardModel,
  type RewardModelShape,
  zeroGradients,
} from './model.js';
import { createRng, shuffleInPlace } from './rng.js';
import { REWARD_MODEL_TRAINING_DEFAULTS } from './training-defaults.js';

export interface TrainRewardModelOptions {
  pairs: ReadonlyArray<PreferencePair>;
  /** Held-out pairs for early stopping; when absent, `validationSplit` of the tasks is held out. */
  validationPairs?: ReadonlyArray<PreferencePair>;
  /** Fraction of tasks (not pairs: no problem is on both sides) held out for validation. Default 0.15. */
  validationSplit?: number;
  featurizer?: FeaturizerConfigInput;
  embeddingDim?: number;
  hiddenDim?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Decoupled (AdamW) weight decay on weights, not biases. */
  weightDecay?: number;
  /** Epochs without a validation-loss improvement before stopping; the best epoch's weights are kept. */
  patience?: number;
  seed?: number;
  onEpoch?: (entry: EpochReport) => void;
}

export interface EpochReport {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number | null;
  validationAccuracy: number | null;
}

export interface TrainingReport {
  featurizerVersion: string;
  configHash: string;
  seed: number;
  hyperparameters: Record<string, number>;
  data: {
    pairs: number;
    trainPairs: number;
    validationPairs: number;
    trainTasks: number;
    validationTasks: number;
    sources: Record<string, number>;
  };
  epochsRun: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  trainAccuracy: number;
  validationAccuracy: number | null;
  validationLoss: number | null;
  history: EpochReport[];
  /** Subtracted from the output bias so training trajectories score 0 on average. */
  scoreOffset: number;
  durationMs: number;
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPS = 1e-8;

interface PairIndex {
  chosen: Int32Array;
  rejected: Int32Array;
}

/** Featurize each distinct trajectory once; pairs refer to rows of the batch. */
function indexPairs(
  groups: ReadonlyArray<ReadonlyArray<PreferencePair>>,
  featurizer: FeaturizerConfigInput,
): { batch: FeatureBatch; indices: PairIndex[] } {
  const rowOf = new Map<string, number>();
  const items: { question: string; trajectory: Trajectory }[] = [];
  const row = (question: string, trajectory: Trajectory) => {
    const key = `${trajectory.id}\u0000${question}`;
    let r = rowOf.get(key);
    if (r === undefined) {
      r = items.length;
      rowOf.set(key, r);
      items.push({ question, trajectory });
    }
    return r;
  };
  const indices = groups.map((pairs) => {
    const chosen = new Int32Array(pairs.length);
    const rejected = new Int32Array(pairs.length);
    pairs.forEach((pair, i) => {
      chosen[i] = row(pair.question, pair.chosen);
      rejected[i] = row(pair.question, pair.rejected);
    });
    return { chosen, rejected };
  });
  return { batch: featurize(items, featurizer), indices };
}

/**
 * Early stopping's own split when no `validationPairs` are given: whole tasks (pairs of one
 * problem share its question, so splitting pairs would leak), at least one on each side. It is
 * not `holdOutPairs` (the split held-out figures are reported on) because the library's
 * measured figures (bench, examples) were trained with this one; pass `validationPairs` from
 * `holdOutPairs` to use that instead.
 */
function splitByTask(
  pairs: ReadonlyArray<PreferencePair>,
  fraction: number,
  seed: number,
): { train: PreferencePair[]; validation: PreferencePair[] } {
  const tasks = [...new Set(pairs.map((p) => p.taskId))].sort();
  if (fraction <= 0 || tasks.length < 2) return { train: [...pairs], validation: [] };
  shuffleInPlace(tasks, createRng(seed ^ 0x9e3779b9));
  const held = new Set(
    tasks.slice(0, Math.max(1, Math.min(tasks.length - 1, Math.round(tasks.length * fraction)))),
  );
  return {
    train: pairs.filter((p) => !held.has(p.taskId)),
    validation: pairs.filter((p) => held.has(p.taskId)),
  };
}

function fitStandardisation(
  batch: FeatureBatch,
  rows: Iterable<number>,
): { mean: Float32Array; scale: Float32Array } {
  const D = batch.denseDim;
  const sum = new Float64Array(D);
  const sq = new Float64Array(D);
  let n = 0;
  for (const r of new Set(rows)) {
    n++;
    for (let j = 0; j < D; j++) {
      const x = batch.dense[r * D + j]!;
      sum[j]! += x;
      sq[j]! += x * x;
    }
  }
  const mean = new Float32Array(D);
  const scale = new Float32Array(D);
  for (let j = 0; j < D; j++) {
    const m = n === 0 ? 0 : sum[j]! / n;
    const variance = n === 0 ? 0 : Math.max(0, sq[j]! / n - m * m);
    mean[j] = m;
    // A constant column carries nothing; scale 0 keeps it from blowing up at scoring time.
    scale[j] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 0;
  }
  return { mean, scale };
}

/** -log sigmoid(d), computed without overflow. */
export function bradleyTerryLoss(margin: number): number {
  return margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin));
}

/** d loss / d margin = -sigmoid(-margin). */
export function bradleyTerryGrad(margin: number): number {
  return -1 / (1 + Math.exp(margin));
}

/**
 * Bradley-Terry fixes only score differences. Shift the output bias so the training
 * trajectories (chosen and rejected alike) score 0 on average: better-than-typical
 * trajectories then score above 0, which a reward that adds `w x score` (the paper's RL
 * reward, floored at the outcome) needs in order to reward them at all. Returns the shift.
 */
function centreScores(model: RewardModel, batch: FeatureBatch, index: PairIndex): number {
  const cache = createForwardCache(model.shape);
  const rows = new Set<number>([...index.chosen, ...index.rejected]);
  if (rows.size === 0) return 0;
  let sum = 0;
  for (const r of rows) sum += forwardItem(model, batch, r, cache);
  const offset = sum / rows.size;
  model.params.bias3[0] = model.params.bias3[0]! - offset;
  return offset;
}

function evaluate(
  model: RewardModel,
  batch: FeatureBatch,
  index: PairIndex,
): { loss: number; accuracy: number } {
  const cache = createForwardCache(model.shape);
  const scores = new Float64Array(batch.size);
  const needed = new Set<number>([...index.chosen, ...index.rejected]);
  for (const r of needed) scores[r] = forwardItem(model, batch, r, cache);
  const c = Array.from(index.chosen, (r) => scores[r]!);
  const rj = Array.from(index.rejected, (r) => scores[r]!);
  let loss = 0;
  for (let i = 0; i < c.length; i++) loss += bradleyTerryLoss(c[i]! - rj[i]!);
  return { loss: loss / Math.max(1, c.length), accuracy: pairwiseAccuracy(c, rj) };
}

type DenseName = 'denseWeight' | 'bias1' | 'weight2' | 'bias2' | 'weight3' | 'bias3';
const DENSE_PARAMS: { name: DenseName; decay: boolean }[] = [
  { name: 'denseWeight', decay: true },
  { name: 'bias1', decay: false },
  { name: 'weight2', decay: true },
  { name: 'bias2', decay: false },
  { name: 'weight3', decay: true },
  { name: 'bias3', decay: false },
];

/**
 * AdamW step. Embedding rows are updated lazily (only rows the batch touched, like PyTorch's
 * SparseAdam), which keeps a step's cost proportional to the batch, not the table.
 */
function adamStep(
  model: RewardModel,
  g: Gradients,
  state: { m: Record<string, Float32Array>; v: Record<string, Float32Array>; t: number },
  lr: number,
  weightDecay: number,
): void {
  state.t++;
  const stepSize = (lr * Math.sqrt(1 - ADAM_BETA2 ** state.t)) / (1 - ADAM_BETA1 ** state.t);
  const update = (
    p: Float32Array | Float64Array,
    grad: Float64Array,
    m: Float32Array,
    v: Float32Array,
    from: number,
    to: number,
    decay: boolean,
  ) => {
    for (let i = from; i < to; i++) {
      const gi = grad[i]!;
      const mi = ADAM_BETA1 * m[i]! + (1 - ADAM_BETA1) * gi;
      const vi = ADAM_BETA2 * v[i]! + (1 - ADAM_BETA2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      let pi = p[i]!;
      if (decay) pi -= lr * weightDecay * pi;
      p[i] = pi - (stepSize * mi) / (Math.sqrt(vi) + ADAM_EPS);
    }
  };
  for (const { name, decay } of DENSE_PARAMS)
    update(model.params[name], g[name], state.m[name]!, state.v[name]!, 0, g[name].length, decay);
  const H = model.shape.embeddingDim;
  for (let t = 0; t < g.touchedCount; t++) {
    const row = g.touchedRows[t]! * H;
    update(
      model.params.embedding,
      g.embedding,
      state.m.embedding!,
      state.v.embedding!,
      row,
      row + H,
      true,
    );
  }
}

function copyParams(model: RewardModel): RewardModel['params'] {
  const p = model.params;
  return {
    embedding: p.embedding.slice(),
    denseWeight: p.denseWeight.slice(),
    bias1: p.bias1.slice(),
    weight2: p.weight2.slice(),
    bias2: p.bias2.slice(),
    weight3: p.weight3.slice(),
    bias3: p.bias3.slice(),
  };
}

/**
 * Train a reward model on preference pairs with the Bradley-Terry loss -log σ(r_chosen - r_rejected),
 * AdamW over shuffled mini-batches, early stopping on a task-level validation split. The same
 * pairs, options and seed give bit-identical weights.
 */
export function trainRewardModel(options: TrainRewardModelOptions): {
  model: RewardModel;
  report: TrainingReport;
} {
  const started = performance.now();
  const d = REWARD_MODEL_TRAINING_DEFAULTS.ngram;
  const seed = options.seed ?? REWARD_MODEL_TRAINING_DEFAULTS.seed;
  const epochs = options.epochs ?? d.epochs;
  const batchSize = options.batchSize ?? d.batchSize;
  const learningRate = options.learningRate ?? d.learningRate;
  const weightDecay = options.weightDecay ?? d.weightDecay;
  const patience = options.patience ?? d.patience;
  const embeddingDim = options.embeddingDim ?? d.embeddingDim;
  const hiddenDim = options.hiddenDim ?? d.hiddenDim;
  const validationSplit = options.validationSplit ?? DEFAULT_VALIDATION_SPLIT;
  for (const [name, value] of Object.entries({ epochs, batchSize, embeddingDim, hiddenDim })) {
    if (!Number.isInteger(value) || value < 1)
      throw new TrainingError({
        parameter: name,
        message: `${name} must be a positive integer, got ${value}`,
      });
  }
  if (!(learningRate > 0))
    throw new TrainingError({
      parameter: 'learningRate',
      message: `learningRate must be > 0, got ${learningRate}`,
    });
  checkValidationSplit(validationSplit);
  if (options.pairs.length === 0)
    throw new TrainingError({ message: 'no preference pairs to train on' });

  const featurizerConfig = resolveFeaturizerConfig(options.featurizer);
  const split =
    options.validationPairs === undefined
      ? splitByTask(options.pairs, validationSplit, seed)
      : { train: [...options.pairs], validation: [...options.validationPairs] };
  if (split.train.length === 0)
    throw new TrainingError({ message: 'the validation split left no training pairs' });
  const { batch, indices } = indexPairs([split.train, split.validation], featurizerConfig);
  const [trainIndex, validationIndex] = indices as [PairIndex, PairIndex];

  const shape: RewardModelShape = {
    numBuckets: featurizerConfig.numBuckets,
    denseDim: batch.denseDim,
    embeddingDim,
    hiddenDim,
  };
  const { mean, scale } = fitStandardisation(batch, [...trainIndex.chosen, ...trainIndex.rejected]);
  const sources: Record<string, number> = {};
  for (const pair of options.pairs) sources[pair.source] = (sources[pair.source] ?? 0) + 1;
  const model: RewardModel = {
    shape,
    params: initParams(shape, { seed }),
    denseMean: mean,
    denseScale: scale,
    featurizer: {
      version: FEATURIZER_VERSION,
      configHash: featurizerConfigHash(featurizerConfig),
      config: featurizerConfig,
    },
    trainingSummary: {},
  };

  const grads = createGradients(shape);
  const zeros = (n: number) => new Float32Array(n);
  const state = {
    t: 0,
    m: Object.fromEntries(
      ['embedding', ...DENSE_PARAMS.map((d) => d.name)].map((n) => [
        n,
        zeros(model.params[n as DenseName].length),
      ]),
    ),
    v: Object.fromEntries(
      ['embedding', ...DENSE_PARAMS.map((d) => d.name)].map((n) => [
        n,
        zeros(model.params[n as DenseName].length),
      ]),
    ),
  };
  const cacheC = createForwardCache(shape);
  const cacheR = createForwardCache(shape);
  const order = Int32Array.from({ length: split.train.length }, (_, i) => i);
  const rng = createRng(seed);
  const hasValidation = split.validation.length > 0;

  const history: EpochReport[] = [];
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, params: copyParams(model) };
  let stoppedEarly = false;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    shuffleInPlace(order, rng);
    let lossSum = 0;
    let wins = 0;
    for (let b = 0; b < order.length; b += batchSize) {
      const end = Math.min(order.length, b + batchSize);
      const scaleGrad = 1 / (end - b);
      zeroGradients(grads, shape);
      for (let k = b; k < end; k++) {
        const pi = order[k]!;
        const rc = trainIndex.chosen[pi]!;
        const rr = trainIndex.rejected[pi]!;
        const sc = forwardItem(model, batch, rc, cacheC);
        const sr = forwardItem(model, batch, rr, cacheR);
        const margin = sc - sr;
        lossSum += bradleyTerryLoss(margin);
        wins += margin > 0 ? 1 : margin === 0 ? 0.5 : 0;
        const dm = bradleyTerryGrad(margin) * scaleGrad;
        backwardItem(model, batch, rc, cacheC, dm, grads);
        backwardItem(model, batch, rr, cacheR, -dm, grads);
      }
      adamStep(model, grads, state, learningRate, weightDecay);
    }
    const validation = hasValidation ? evaluate(model, batch, validationIndex) : null;
    const entry: EpochReport = {
      epoch,
      trainLoss: lossSum / order.length,
      trainAccuracy: wins / order.length,
      validationLoss: validation?.loss ?? null,
      validationAccuracy: validation?.accuracy ?? null,
    };
    history.push(entry);
    options.onEpoch?.(entry);
    const monitored = validation?.loss ?? entry.trainLoss;
    if (monitored < best.loss - 1e-5) best = { loss: monitored, epoch, params: copyParams(model) };
    else if (hasValidation && epoch - best.epoch >= patience) {
      stoppedEarly = true;
      break;
    }
  }
  model.params = best.params;
  const scoreOffset = centreScores(model, batch, trainIndex);

  const trainEval = evaluate(model, batch, trainIndex);
  const validationEval = hasValidation ? evaluate(model, batch, validationIndex) : null;
  const report: TrainingReport = {
    featurizerVersion: FEATURIZER_VERSION,
    configHash: model.featurizer.configHash,
    seed,
    hyperparameters: {
      epochs,
      batchSize,
      learningRate,
      weightDecay,
      patience,
      embeddingDim,
      hiddenDim,
      validationSplit,
    },
    data: {
      pairs: options.pairs.length + (options.validationPairs?.length ?? 0),
      trainPairs: split.train.length,
      validationPairs: split.validation.length,
      trainTasks: new Set(split.train.map((p) => p.taskId)).size,
      validationTasks: new Set(split.validation.map((p) => p.taskId)).size,
      sources,
    },
    epochsRun: history.length,
    bestEpoch: best.epoch,
    stoppedEarly,
    trainAccuracy: trainEval.accuracy,
    validationAccuracy: validationEval?.accuracy ?? null,
    validationLoss: validationEval?.loss ?? null,
    history,
    scoreOffset,
    durationMs: performance.now() - started,
  };
  model.trainingSummary = {
    pairs: report.data.pairs,
    trainPairs: report.data.trainPairs,
    validationPairs: report.data.validationPairs,
    trainTasks: report.data.trainTasks,
    sources: report.data.sources as Record<string, JsonValue>,
    seed,
    bestEpoch: best.epoch,
    trainAccuracy: report.trainAccuracy,
    validationAccuracy: report.validationAccuracy,
  };
  return { model, report };
}
