import type { PreferencePair } from '@autotraj/trajectory';
import { TrainingError } from './errors.js';
import { splitPairsByTask } from './pairs.js';
import { REWARD_MODEL_TRAINING_DEFAULTS } from './training-defaults.js';

/** Fraction of tasks held out for validation when none is given. */
export const DEFAULT_VALIDATION_SPLIT = 0.15;

/** Throws `TrainingError` (parameter `validationSplit`) unless `value` is in [0, 1). */
export function checkValidationSplit(value: number): void {
  if (!(value >= 0 && value < 1))
    throw new TrainingError({
      parameter: 'validationSplit',
      message: `validationSplit must be in [0, 1), got ${value}`,
    });
}

/**
 * The pairs a reward model trains on and the ones held out to measure it: whole tasks are held
 * out (pairs of one problem share its question, so splitting pairs would leak), `validationSplit`
 * of them (default 0.15) by `splitPairsByTask`'s seeded shuffle (seed default 1). With
 * `validationSplit` 0, or when the split would leave no training pairs (too few tasks), every
 * pair trains and none is held out. Throws `TrainingError` for a split outside [0, 1).
 */
export function holdOutPairs(
  pairs: ReadonlyArray<PreferencePair>,
  options: { validationSplit?: number; seed?: number } = {},
): { train: PreferencePair[]; validation: PreferencePair[] } {
  const validationSplit = options.validationSplit ?? DEFAULT_VALIDATION_SPLIT;
  checkValidationSplit(validationSplit);
  const [train = [], validation = []] =
    validationSplit > 0
      ? splitPairsByTask(pairs, {
          fractions: [1 - validationSplit, validationSplit],
          seed: options.seed ?? REWARD_MODEL_TRAINING_DEFAULTS.seed,
        })
      : [[...pairs], []];
  // Too few tasks to hold any out: train on everything rather than fail.
  return train.length === 0 ? { train: validation, validation: [] } : { train, validation };
}
