import { type PreferencePair, preferencePairSchema, trajectorySchema } from '@autotraj/trajectory';
import { z } from 'zod';
import {
  type FeatureBatch,
  type FeaturizeItem,
  type FeaturizerConfig,
  type FeaturizerConfigInput,
  featurizerConfigSchema,
  featurize as featurizeUnchecked,
} from '../featurize.js';
import type { RewardModel } from '../model.js';
import {
  type TrainingReport,
  type TrainRewardModelOptions,
  trainRewardModel as trainUnchecked,
} from '../train.js';
import { parse } from './parse.js';

// Training and featurizing parse what they are given first: pairs with the contract's
// `preferencePairSchema` (defaults filled; unknown record keys ignored, as the JSONL readers
// do), options strictly (a misspelt key is an error naming it). Bad input is `TrainingError`
// code `invalid_input` with `parameter` the field path.

const featurizerOptions = featurizerConfigSchema.partial().strict();

const trainOptionsSchema = z.strictObject({
  pairs: z.array(z.unknown()),
  validationPairs: z.array(z.unknown()).optional(),
  validationSplit: z.number().optional(),
  featurizer: featurizerOptions.optional(),
  embeddingDim: z.number().optional(),
  hiddenDim: z.number().optional(),
  epochs: z.number().optional(),
  batchSize: z.number().optional(),
  learningRate: z.number().optional(),
  weightDecay: z.number().optional(),
  patience: z.number().optional(),
  seed: z.number().optional(),
  onEpoch: z
    .custom<(entry: unknown) => void>((v) => typeof v === 'function', {
      message: 'expected a function',
    })
    .optional(),
});

/** Each pair parsed with `preferencePairSchema`, named by position (`options.pairs[3]`). */
export function pairs(
  values: ReadonlyArray<unknown>,
  entry: string,
  field: string,
): PreferencePair[] {
  const out: PreferencePair[] = [];
  for (let i = 0; i < values.length; i++)
    out.push(parse(preferencePairSchema, values[i], entry, `${field}[${i}]`));
  return out;
}

/**
 * Train the pairwise reward model (see `trainRewardModel` in train.ts) after checking its
 * options and pairs. Range checks of the numbers stay with training (`training_failed`).
 */
export function trainRewardModel(options: TrainRewardModelOptions): {
  model: RewardModel;
  report: TrainingReport;
} {
  const entry = 'trainRewardModel';
  const parsed = parse(trainOptionsSchema, options, entry, 'options');
  const { validationPairs } = parsed;
  return trainUnchecked({
    ...options,
    pairs: pairs(parsed.pairs, entry, 'options.pairs'),
    ...(validationPairs === undefined
      ? {}
      : { validationPairs: pairs(validationPairs, entry, 'options.validationPairs') }),
  });
}

const featurizeItemSchema = z.strictObject({
  question: z.string().optional(),
  trajectory: z.unknown(),
});

/** Featurize a batch (see `featurize` in featurize.ts), each item's trajectory checked first. */
export function featurize(
  items: ReadonlyArray<FeaturizeItem>,
  config: FeaturizerConfigInput | FeaturizerConfig = {},
): FeatureBatch {
  const entry = 'featurize';
  const list = parse(z.array(z.unknown()), items, entry, 'items');
  const checked: FeaturizeItem[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = parse(featurizeItemSchema, list[i], entry, `items[${i}]`);
    checked.push({
      ...(item.question === undefined ? {} : { question: item.question }),
      trajectory: parse(trajectorySchema, item.trajectory, entry, `items[${i}].trajectory`),
    });
  }
  return featurizeUnchecked(checked, parse(featurizerOptions, config, entry, 'config'));
}
