import { checkPaperFormat } from '@autotraj/evaluator';
import type { TrajectoryScorer } from '../scorer.js';
import { type CreateRewardOptions, createReward, type Reward } from './create-reward.js';
import { outcomeByDataSource } from './outcomes.js';
import type { FormatCheck, OutcomeFn } from './types.js';

/** The paper's tag rules (`checkPaperFormat` from @autotraj/evaluator) as a reward format check. */
export const paperFormatCheck: FormatCheck = (text) => checkPaperFormat(text);

export interface PaperRewardOptions {
  /** Default: the paper's tag rules. null: no format term. */
  format?: FormatCheck | null;
  /** Default: answer F1 for QA data sources, math equivalence for the rest. */
  outcome?: OutcomeFn;
}

/** Options of the paper reward without its RM (the reward server plugs in its batched scorer). */
export function paperRewardOptions(
  options: PaperRewardOptions = {},
): Omit<CreateRewardOptions, 'trajectoryModel'> {
  return {
    preset: 'paper',
    format: options.format === undefined ? paperFormatCheck : options.format,
    outcome: options.outcome ?? outcomeByDataSource(),
  };
}

/**
 * The paper's RL reward: format violation -> -1; else outcome (math correctness or QA F1)
 * plus 0.2 x RM score when the outcome is positive, clipped to [-3, 3], never below the outcome.
 */
export function createPaperReward(
  options: PaperRewardOptions & { trajectoryModel?: TrajectoryScorer | null } = {},
): Reward {
  return createReward({
    ...paperRewardOptions(options),
    trajectoryModel: options.trajectoryModel ?? null,
  });
}
