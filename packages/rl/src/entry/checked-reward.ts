import { type Trajectory, trajectorySchema } from '@autotraj/trajectory';
import { isTrajectory, objectWithMethods, rejecting } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import {
  type CreateRewardOptions,
  createReward as createUncheckedReward,
  type Reward,
  type RewardPresetName,
  type RmCalibration,
  rewardTextOf as rewardTextOfUnchecked,
} from '../reward/create-reward.js';
import {
  createPresetReward as createUncheckedPresetReward,
  type PaperRewardOptions,
} from '../reward/paper-reward.js';
import { isSealedRewardBatch } from '../reward/sealed-batch.js';
import type { RewardItem } from '../reward/types.js';
import type { TrajectoryScorer } from '../scorer.js';
import { fn, isPlainObject, parseRlInput } from './parse-input.js';

// The reward functions of the main entry parse their options once when the reward is built
// and each batch's items when it is scored (the trajectory by the hand-written guard of
// @autotraj/trajectory when it is already in the schema's form). Options and item objects are
// strict: a misspelt key is an error naming it.

const scorer = objectWithMethods<TrajectoryScorer>('a trajectory scorer', 'score');
export const calibration = z.strictObject({ center: z.number(), scale: z.number() });

export const createRewardOptionsSchema = z.strictObject({
  preset: z.enum(['paper', 'autotraj']).optional(),
  answer: fn('an answer function').optional(),
  format: fn('a format check').nullable().optional(),
  outcome: fn('an outcome function, e.g. mathOutcome()'),
  trajectoryModel: scorer.nullable().optional(),
  weights: z
    .strictObject({
      outcome: z.number(),
      trajectoryModel: z.number(),
      formatViolation: z.number(),
    })
    .partial()
    .optional(),
  clip: z.tuple([z.number(), z.number()]).nullable().optional(),
  trajectoryModelWhen: z.enum(['positive-outcome', 'always']).optional(),
  floorAtOutcome: z.boolean().optional(),
  trajectoryModelCalibration: calibration.nullable().optional(),
});

const presetRewardOptionsSchema = z.strictObject({
  format: fn('a format check').nullable().optional(),
  outcome: fn('an outcome function').optional(),
  trajectoryModel: scorer.nullable().optional(),
  trajectoryModelCalibration: calibration.nullable().optional(),
});

export const rewardItemSchema = z.strictObject({
  trajectory: trajectorySchema,
  question: z.string().optional(),
  goldAnswers: z.array(z.string()).optional(),
  dataSource: z.string().optional(),
  text: z.string().optional(),
  trajectoryModelScore: z.number().optional(),
});

const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

/** The item as is when it already matches `rewardItemSchema` (checked by hand: the hot path). */
export function isRewardItem(item: unknown): item is RewardItem {
  if (!isPlainObject(item)) return false;
  for (const key in item)
    switch (key) {
      case 'trajectory':
      case 'question':
      case 'goldAnswers':
      case 'dataSource':
      case 'text':
      case 'trajectoryModelScore':
        break;
      default:
        return false;
    }
  const golds = item.goldAnswers;
  if (golds !== undefined) {
    if (!Array.isArray(golds)) return false;
    for (let i = 0; i < golds.length; i++) if (typeof golds[i] !== 'string') return false;
  }
  const score = item.trajectoryModelScore;
  return (
    optionalString(item.question) &&
    optionalString(item.dataSource) &&
    optionalString(item.text) &&
    (score === undefined || (typeof score === 'number' && Number.isFinite(score)))
  );
}

/** One item, checked (a copy with a parsed trajectory, or the schema's parse, when needed). */
function parseItem(item: unknown, entry: string, field: string): RewardItem {
  if (!isRewardItem(item)) return parseRlInput(rewardItemSchema, item, entry, field) as RewardItem;
  if (isTrajectory(item.trajectory)) return item;
  const trajectory: Trajectory = parseRlInput(
    trajectorySchema,
    item.trajectory,
    entry,
    `${field}.trajectory`,
  );
  return { ...item, trajectory };
}

function parseItems(items: unknown, entry: string): ReadonlyArray<RewardItem> {
  // A batch the rollout loop built and sealed: checked where it was built, frozen since.
  if (isSealedRewardBatch(items)) return items;
  if (!Array.isArray(items))
    return parseRlInput(z.array(z.unknown()), items, entry, 'items') as never;
  // The caller's array as is while every item is already in the schema's form (the usual case);
  // a copy from the first item that needed parsing.
  let out: RewardItem[] | null = null;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isRewardItem(item) && isTrajectory(item.trajectory)) {
      out?.push(item);
      continue;
    }
    out ??= items.slice(0, i) as RewardItem[];
    out.push(parseItem(item, entry, `items[${i}]`));
  }
  return out ?? (items as RewardItem[]);
}

function checked(inner: Reward): Reward {
  const scoreDetailed = inner.scoreDetailed;
  return {
    ...(inner.preset === undefined ? {} : { preset: inner.preset }),
    score: (items) => rejecting(() => inner.score(parseItems(items, 'reward.score'))),
    ...(scoreDetailed === undefined
      ? {}
      : {
          scoreDetailed: (items: ReadonlyArray<RewardItem>) =>
            rejecting(() => scoreDetailed(parseItems(items, 'reward.scoreDetailed'))),
        }),
  };
}

/**
 * A reward from its terms (see `createReward` in reward/create-reward.ts). Options and the
 * items of each batch are checked: bad input is `RlConfigError` code `invalid_input`.
 */
export function createReward(options: CreateRewardOptions): Reward {
  const parsed = parseRlInput(createRewardOptionsSchema, options, 'createReward', 'options');
  return checked(createUncheckedReward(parsed as CreateRewardOptions));
}

type PresetOptions = PaperRewardOptions & {
  trajectoryModel?: TrajectoryScorer | null;
  trajectoryModelCalibration?: RmCalibration | null;
};

/** A preset's reward with an optional RM, its options and items checked. */
export function createPresetReward(preset: RewardPresetName, options: PresetOptions = {}): Reward {
  const name = parseRlInput(z.enum(['paper', 'autotraj']), preset, 'createPresetReward', 'preset');
  const parsed = parseRlInput(presetRewardOptionsSchema, options, 'createPresetReward', 'options');
  return checked(createUncheckedPresetReward(name, parsed as PresetOptions));
}

/** The paper's RL reward exactly (re_search.compute_score), options and items checked. */
export function createPaperReward(
  options: PaperRewardOptions & { trajectoryModel?: TrajectoryScorer | null } = {},
): Reward {
  const parsed = parseRlInput(presetRewardOptionsSchema, options, 'createPaperReward', 'options');
  return checked(createUncheckedPresetReward('paper', parsed as PresetOptions));
}

/** The project's reward (format rules with a tool budget, math equivalence, QA F1, + RM), checked. */
export function createAutotrajReward(
  options: PaperRewardOptions & { trajectoryModel?: TrajectoryScorer | null } = {},
): Reward {
  const parsed = parseRlInput(
    presetRewardOptionsSchema,
    options,
    'createAutotrajReward',
    'options',
  );
  return checked(createUncheckedPresetReward('autotraj', parsed as PresetOptions));
}

/** The text the format check reads for an item (see reward/create-reward.ts), the item checked. */
export function rewardTextOf(item: RewardItem): string {
  return rewardTextOfUnchecked(parseItem(item, 'rewardTextOf', 'item'));
}
