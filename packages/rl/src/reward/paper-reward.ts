// Unchecked: the text is the reward item's, checked at the reward's entry.
import { uncheckedCheckPaperFormat as checkPaperFormat } from '@autotraj/evaluator/internal';
import { paperValidateFormat } from '@autotraj/trajectory';
import { RlConfigError } from '../errors.js';
import type { TrajectoryScorer } from '../scorer.js';
import {
  type CreateRewardOptions,
  createReward,
  type Reward,
  type RewardPresetName,
  type RmCalibration,
  rewardTextOf,
} from './create-reward.js';
import { outcomeByDataSource } from './outcomes.js';
import { paperResponseOfBare, paperRewardAnswer, paperRewardF1 } from './paper/compute-score.js';
import type { FormatCheck, OutcomeFn, RewardItem } from './types.js';

/**
 * The paper's format gate (re_search.compute_score's two -1 cases): `validate_format` on the
 * response, then an answer boxed inside the first `<answer>`.
 */
export const paperFormatCheck: FormatCheck = (text) => {
  const response = paperResponseOfBare(text);
  const format = paperValidateFormat(response);
  if (!format.ok)
    return {
      ok: false,
      violations: [{ code: format.code, message: `search bad format: ${format.reason}` }],
    };
  const { problem } = paperRewardAnswer(response);
  if (problem === null) return { ok: true, violations: [] };
  const message = problem === 'no-answer' ? 'cannot extract answer' : 'find box error';
  return { ok: false, violations: [{ code: problem, message }] };
};

/** The answer the paper rewards: the last box inside the first `<answer>` (null: none). */
export function paperAnswerOf(item: RewardItem): string | null {
  return paperRewardAnswer(paperResponseOfBare(rewardTextOf(item))).answer;
}

/** The paper's outcome for every data source, math included: SQuAD token F1 of that answer. */
export const paperOutcome: OutcomeFn = (item) => {
  const answer = paperAnswerOf(item);
  return answer === null ? 0 : paperRewardF1(answer, item.goldAnswers ?? []);
};

/** The project's format rules (`checkPaperFormat` from @autotraj/evaluator: the repair prompt's). */
export const autotrajFormatCheck: FormatCheck = (text) => checkPaperFormat(text);

export interface PaperRewardOptions {
  /** Default: the preset's format check. null: no format term. */
  format?: FormatCheck | null;
  /** Default: the preset's outcome. */
  outcome?: OutcomeFn;
}

/**
 * A preset's reward options without the RM (the reward server plugs in its batched scorer).
 * `paper`: validate_format + boxed first answer, token F1 for every source. `autotraj`: the
 * repair prompt's format rules, equivalence-checked math and QA F1.
 */
export function rewardPresetOptions(
  preset: RewardPresetName,
  options: PaperRewardOptions = {},
): Omit<CreateRewardOptions, 'trajectoryModel'> {
  const paper = preset === 'paper';
  const format = paper ? paperFormatCheck : autotrajFormatCheck;
  return {
    preset,
    format: options.format === undefined ? format : options.format,
    outcome: options.outcome ?? (paper ? paperOutcome : outcomeByDataSource()),
    ...(paper ? { answer: paperAnswerOf } : {}),
  };
}

/** The paper preset's options (see `rewardPresetOptions`). */
export function paperRewardOptions(
  options: PaperRewardOptions = {},
): Omit<CreateRewardOptions, 'trajectoryModel'> {
  return rewardPresetOptions('paper', options);
}

/** The autotraj preset's options (see `rewardPresetOptions`). */
export function autotrajRewardOptions(
  options: PaperRewardOptions = {},
): Omit<CreateRewardOptions, 'trajectoryModel'> {
  return rewardPresetOptions('autotraj', options);
}

/**
 * The RM calibration a preset may use: the `paper` preset keeps the raw score exactly as the paper
 * does, so asking it to calibrate is a configuration error rather than a silent change.
 */
export function presetCalibration(
  preset: RewardPresetName,
  calibration: RmCalibration | null | undefined,
): RmCalibration | null {
  if (calibration === null || calibration === undefined) return null;
  if (preset === 'paper')
    throw new RlConfigError({
      option: 'trajectoryModelCalibration',
      message:
        'the paper preset uses the raw RM score (as the paper does); use the autotraj preset to calibrate',
    });
  return calibration;
}

/** A preset's reward with an optional RM (and, outside the paper preset, its calibration). */
export function createPresetReward(
  preset: RewardPresetName,
  options: PaperRewardOptions & {
    trajectoryModel?: TrajectoryScorer | null;
    trajectoryModelCalibration?: RmCalibration | null;
  } = {},
): Reward {
  return createReward({
    ...rewardPresetOptions(preset, options),
    trajectoryModel: options.trajectoryModel ?? null,
    trajectoryModelCalibration: presetCalibration(preset, options.trajectoryModelCalibration),
  });
}

/**
 * The paper's RL reward exactly (re_search.compute_score): bad format or no boxed answer -> -1;
 * else F1 plus 0.2 x RM when F1 > 0, clipped to [-3, 3], never below F1.
 */
export function createPaperReward(
  options: PaperRewardOptions & { trajectoryModel?: TrajectoryScorer | null } = {},
): Reward {
  return createPresetReward('paper', options);
}

/** The project's reward: format rules with a tool budget, math equivalence, QA F1 (+ RM). */
export function createAutotrajReward(
  options: PaperRewardOptions & { trajectoryModel?: TrajectoryScorer | null } = {},
): Reward {
  return createPresetReward('autotraj', options);
}
