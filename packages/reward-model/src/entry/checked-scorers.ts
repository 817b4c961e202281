import { type ScoreItem, textFormats, trajectorySchema } from '@autotraj/trajectory';
import { isTrajectory, parseEach, rejecting } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { featurizerConfigSchema } from '../featurize.js';
import {
  type CreateHfSequenceClassifierScorerOptions,
  createHfSequenceClassifierScorer as createHfUnchecked,
} from '../hf-scorer.js';
import {
  type CreateOnnxScorerOptions,
  createOnnxScorer as createOnnxUnchecked,
} from '../onnx-scorer.js';
import {
  type OpenRewardModelOptions,
  openTrajectoryScorer as openUnchecked,
} from '../open-scorer.js';
import type { OnnxTrajectoryScorer } from '../scorer.js';
import { parse } from './parse.js';

// The scorers of the main entry check their options before any file is read (keys strictly: a
// misspelt `maxBatchSise` is an error naming it) and each batch's items before scoring: an item
// is `{ trajectory, question? }`, the trajectory checked with `trajectorySchema` (the
// hand-written guard first; a trajectory the library sealed is taken as is). Bad input is
// `TrainingError` code `invalid_input` with `parameter` the field path.

const sessionShape = {
  intraOpNumThreads: z.number().int().positive().optional(),
  interOpNumThreads: z.number().int().positive().optional(),
  graphOptimizationLevel: z.enum(['disabled', 'basic', 'extended', 'all']).optional(),
};
const count = z.number().int().positive();
const onnxOptions = z.strictObject({
  ...sessionShape,
  path: z.string().min(1),
  maxBatchSize: count.optional(),
  maxBagElements: count.optional(),
  featurizer: featurizerConfigSchema.partial().strict().optional(),
});
const openOptions = z.strictObject({
  ...sessionShape,
  path: z.string().min(1),
  maxBatchSize: count.optional(),
});
const hfOptions = z.strictObject({
  ...sessionShape,
  modelPath: z.string().min(1),
  tokenizerPath: z.string().min(1),
  tokenizerConfigPath: z.string().min(1).optional(),
  maxLength: z.number().int().min(2).optional(),
  truncationSide: z.enum(['left', 'right']).optional(),
  padding: z.enum(['longest', 'max_length']).optional(),
  format: z.enum(textFormats).optional(),
  render: z
    .custom<(item: ScoreItem) => string>((v) => typeof v === 'function', {
      message: 'expected a function',
    })
    .optional(),
  labelIndex: z.number().int().nonnegative().optional(),
  transform: z.enum(['logit', 'softmax', 'sigmoid']).optional(),
  maxBatchSize: count.optional(),
  outputName: z.string().min(1).optional(),
});

export const scoreItemSchema = z.strictObject({
  question: z.string().optional(),
  trajectory: trajectorySchema,
});

/** An item already in `scoreItemSchema`'s form (checked by hand: the scoring hot path). */
export function isScoreItem(item: unknown): item is ScoreItem {
  if (typeof item !== 'object' || item === null || Object.getPrototypeOf(item) !== Object.prototype)
    return false;
  const value = item as Record<string, unknown>;
  for (const key in value) if (key !== 'trajectory' && key !== 'question') return false;
  return (
    (value.question === undefined || typeof value.question === 'string') &&
    isTrajectory(value.trajectory)
  );
}

/** A batch of score items, each checked (the caller's array kept when all are ready). */
export function scoreItems(values: unknown, entry: string): ScoreItem[] {
  const list = Array.isArray(values) ? values : parse(z.array(z.unknown()), values, entry, 'items');
  return parseEach(
    list,
    isScoreItem,
    (item, i) => parse(scoreItemSchema, item, entry, `items[${i}]`) as ScoreItem,
  );
}

/** The same scorer, each batch's items checked first. */
function checked(inner: OnnxTrajectoryScorer, name: string): OnnxTrajectoryScorer {
  return {
    metadata: inner.metadata,
    score: (batch) => rejecting(() => inner.score(scoreItems(batch, `${name}.score`))),
    close: () => inner.close(),
  };
}

/** The n-gram reward model's ONNX scorer (see onnx-scorer.ts), options and items checked. */
export async function createOnnxScorer(
  options: CreateOnnxScorerOptions,
): Promise<OnnxTrajectoryScorer> {
  const parsed = parse(onnxOptions, options, 'createOnnxScorer', 'options');
  return checked(await createOnnxUnchecked(parsed), 'scorer');
}

/** Any reward model `train-rm` exports (see open-scorer.ts), options and items checked. */
export async function openTrajectoryScorer(
  options: OpenRewardModelOptions,
): Promise<OnnxTrajectoryScorer> {
  const parsed = parse(openOptions, options, 'openTrajectoryScorer', 'options');
  return checked(await openUnchecked(parsed), 'scorer');
}

/** An ONNX sequence classifier with its tokenizer (see hf-scorer.ts), options and items checked. */
export async function createHfSequenceClassifierScorer(
  options: CreateHfSequenceClassifierScorerOptions,
): Promise<OnnxTrajectoryScorer> {
  const parsed = parse(hfOptions, options, 'createHfSequenceClassifierScorer', 'options');
  return checked(await createHfUnchecked(parsed), 'scorer');
}
