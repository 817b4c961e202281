import type { ScoreItem } from '@autotraj/trajectory';
import { z } from 'zod';
import { filterZeroVarianceGroups as filterUnchecked } from '../advantages.js';
import { fitRmCalibration as fitUnchecked, type RmCalibration } from '../reward/create-reward.js';
import {
  mathOutcome as mathOutcomeUnchecked,
  outcomeByDataSource as outcomeByDataSourceUnchecked,
  type QaF1Fn,
  qaF1Outcome as qaF1OutcomeUnchecked,
  type VerifyAnswerFn,
} from '../reward/outcomes.js';
import type { OutcomeFn } from '../reward/types.js';
import {
  createFunctionScorer as createFunctionScorerUnchecked,
  type TrajectoryScorer,
} from '../scorer.js';
import { fn, parseRlInput } from './parse-input.js';

// The reward building blocks of the main entry check their options when they are built (a
// misspelt `verfy` is an error naming it, not the default verifier silently used); the
// functions they return run on items the reward's entry checked. Bad input is `RlConfigError`
// code `invalid_input`.

const mathOptions = z.strictObject({ verify: fn<VerifyAnswerFn>('a verifier').optional() });

/** Math correctness (see reward/outcomes.ts), its options checked. */
export function mathOutcome(options: { verify?: VerifyAnswerFn } = {}): OutcomeFn {
  return mathOutcomeUnchecked(
    parseRlInput(mathOptions, options, 'mathOutcome', 'options') as typeof options,
  );
}

const qaOptions = z.strictObject({ f1: fn<QaF1Fn>('an F1 function').optional() });

/** QA answer F1 (see reward/outcomes.ts), its options checked. */
export function qaF1Outcome(options: { f1?: QaF1Fn } = {}): OutcomeFn {
  return qaF1OutcomeUnchecked(
    parseRlInput(qaOptions, options, 'qaF1Outcome', 'options') as typeof options,
  );
}

const byDataSourceOptions = z.strictObject({
  math: fn<OutcomeFn>('an outcome function').optional(),
  qa: fn<OutcomeFn>('an outcome function').optional(),
  qaSources: z.set(z.string()).optional(),
});

/** Math or QA outcome by data source (see reward/outcomes.ts), its options checked. */
export function outcomeByDataSource(
  options: { math?: OutcomeFn; qa?: OutcomeFn; qaSources?: ReadonlySet<string> } = {},
): OutcomeFn {
  return outcomeByDataSourceUnchecked(
    parseRlInput(byDataSourceOptions, options, 'outcomeByDataSource', 'options') as typeof options,
  );
}

const filterOptions = z.strictObject({ tolerance: z.number().nonnegative().optional() });

/** Groups whose rewards all agree left out (see advantages.ts), its arguments checked. */
export function filterZeroVarianceGroups<G>(
  groups: ReadonlyArray<G>,
  rewardsOf: (group: G) => ReadonlyArray<number>,
  options: { tolerance?: number } = {},
): { kept: G[]; dropped: G[] } {
  const entry = 'filterZeroVarianceGroups';
  return filterUnchecked(
    parseRlInput(z.array(z.unknown()), groups, entry, 'groups') as G[],
    parseRlInput(
      fn<(group: G) => ReadonlyArray<number>>('a function of the group'),
      rewardsOf,
      entry,
      'rewardsOf',
    ),
    parseRlInput(filterOptions, options, entry, 'options') as typeof options,
  );
}

const scores = z.custom<ArrayLike<number>>(
  (v) =>
    (Array.isArray(v) || ArrayBuffer.isView(v)) &&
    Array.prototype.every.call(v as ArrayLike<unknown>, (x: unknown) => typeof x === 'number'),
  { message: 'expected an array of numbers' },
);

/** A calibration fitted to the RM's scores (see reward/create-reward.ts), the scores checked. */
export function fitRmCalibration(values: ArrayLike<number>): RmCalibration {
  return fitUnchecked(parseRlInput(scores, values, 'fitRmCalibration', 'scores'));
}

/** A trajectory scorer from a function of one item (see scorer.ts), the function checked. */
export function createFunctionScorer(score: (item: ScoreItem) => number): TrajectoryScorer {
  return createFunctionScorerUnchecked(
    parseRlInput(
      fn<(item: ScoreItem) => number>('a function of an item'),
      score,
      'createFunctionScorer',
      'fn',
    ),
  );
}
