import { type AdmittedSet, admissionModes, type PreferencePair } from '@autotraj/trajectory';
import { z } from 'zod';
import {
  type AdmitTrainingPairsOptions,
  admitTrainingPairs as admitUnchecked,
} from '../admit-pairs.js';
import { lengthBaseline as lengthBaselineUnchecked } from '../baselines.js';
import { holdOutPairs as holdOutUnchecked } from '../hold-out.js';
import { splitPairsByTask as splitUnchecked } from '../pairs.js';
import { pairs } from './checked-training.js';
import { parse } from './parse.js';

// The pair helpers of the main entry parse each pair with `preferencePairSchema` (defaults
// filled, unknown pair keys ignored as the readers do) and their options strictly. Bad input is
// `TrainingError` code `invalid_input` with `parameter` the field path. Ranges keep their own
// `training_failed` errors (a validation split outside [0, 1)).

function pairList(values: unknown, entry: string, field: string): PreferencePair[] {
  return pairs(parse(z.array(z.unknown()), values, entry, field), entry, field);
}

const holdOutOptions = z.strictObject({
  validationSplit: z.number().optional(),
  seed: z.number().int().optional(),
});

/** Hold whole tasks out for validation (see hold-out.ts), its pairs and options checked. */
export function holdOutPairs(
  input: ReadonlyArray<PreferencePair>,
  options: { validationSplit?: number; seed?: number } = {},
): { train: PreferencePair[]; validation: PreferencePair[] } {
  const entry = 'holdOutPairs';
  return holdOutUnchecked(
    pairList(input, entry, 'pairs'),
    parse(holdOutOptions, options, entry, 'options') as typeof options,
  );
}

const splitOptions = z.strictObject({
  fractions: z.array(z.number().nonnegative()).min(1),
  seed: z.number().int().optional(),
});

/** Split pairs into groups of whole tasks (see pairs.ts), its pairs and options checked. */
export function splitPairsByTask(
  input: ReadonlyArray<PreferencePair>,
  options: { fractions: ReadonlyArray<number>; seed?: number },
): PreferencePair[][] {
  const entry = 'splitPairsByTask';
  return splitUnchecked(
    pairList(input, entry, 'pairs'),
    parse(splitOptions, options, entry, 'options') as typeof options,
  );
}

const admitOptions = z.strictObject({ admission: z.enum(admissionModes).optional() });

/** The admission gate over training pairs (see admit-pairs.ts), its pairs and options checked. */
export function admitTrainingPairs(
  input: ReadonlyArray<PreferencePair>,
  options: AdmitTrainingPairsOptions = {},
): AdmittedSet<PreferencePair> {
  const entry = 'admitTrainingPairs';
  return admitUnchecked(
    pairList(input, entry, 'pairs'),
    parse(admitOptions, options, entry, 'options'),
  );
}

/** The length baseline's pairwise accuracy (see baselines.ts), both pair lists checked. */
export function lengthBaseline(
  train: ReadonlyArray<PreferencePair>,
  test: ReadonlyArray<PreferencePair>,
): { sign: 1 | -1; trainAccuracy: number; accuracy: number } {
  const entry = 'lengthBaseline';
  return lengthBaselineUnchecked(pairList(train, entry, 'train'), pairList(test, entry, 'test'));
}
