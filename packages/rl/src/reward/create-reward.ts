import type { RewardBreakdown } from '@autotraj/trajectory';
import {
  sourceTextOfUnchecked as sourceTextOf,
  uncheckedTextCodec,
} from '@autotraj/trajectory/internal';
import { RlConfigError } from '../errors.js';
import { scoreChecked, type TrajectoryScorer } from '../scorer.js';
import type { FormatCheck, OutcomeFn, RewardItem } from './types.js';

export interface RewardWeights {
  /** Multiplies the outcome (paper: 1). */
  outcome: number;
  /** Multiplies the RM score (paper: 0.2). */
  trajectoryModel: number;
  /** The total for a format violation (paper: -1). */
  formatViolation: number;
}

/**
 * Maps a raw RM score to `(score - center) / scale` before it is weighted. A Bradley-Terry
 * model's scores have an arbitrary offset (the loss only sees differences), so under the
 * paper's rule (bonus only for a positive outcome, never below it) the RM term can be dead:
 * every correct rollout scoring below zero gets no bonus at all. Centering on the scores of
 * the rollouts the reward will see makes the better-than-typical correct rollouts earn a bonus.
 */
export interface RmCalibration {
  center: number;
  /** > 0; 1 keeps the model's units. */
  scale: number;
}

/** `paper`: the paper's compute_score exactly. `autotraj`: the project's format and outcome rules. */
export type RewardPresetName = 'paper' | 'autotraj';
export const rewardPresetNames: ReadonlyArray<RewardPresetName> = ['paper', 'autotraj'];

export interface CreateRewardOptions {
  /** Recorded on the reward (and by the rollout loop and server); the numbers below decide. */
  preset?: RewardPresetName;
  /** The answer each breakdown reports (default: the trajectory's final answer). */
  answer?: (item: RewardItem) => string | null;
  /** Format rules; a violation makes the total `weights.formatViolation`. null: no format term. */
  format?: FormatCheck | null;
  outcome: OutcomeFn;
  /** The trajectory reward model; null or absent: outcome only. */
  trajectoryModel?: TrajectoryScorer | null;
  weights?: Partial<RewardWeights>;
  /** [low, high] applied to outcome + RM term (paper: [-3, 3]); null: no clip. */
  clip?: readonly [number, number] | null;
  /** When the RM is consulted: only for a positive outcome (paper) or always. */
  trajectoryModelWhen?: 'positive-outcome' | 'always';
  /**
   * Never let the RM pull the total below the weighted outcome: `max(clip(outcome + w*rm),
   * outcome)`. Default true (the paper's rule); pass false for a reward whose RM term may be
   * negative.
   */
  floorAtOutcome?: boolean;
  /** Calibrate RM scores before weighting (see `RmCalibration`); null or absent: raw (paper). */
  trajectoryModelCalibration?: RmCalibration | null;
}

/** A breakdown plus what a reader needs to check it by hand. */
export interface RewardResult extends RewardBreakdown {
  /** Why the format check failed, in its own words; null when it passed or was off. */
  formatReason: string | null;
  /** The answer that was scored (null when none could be extracted). */
  answer: string | null;
}

export interface Reward {
  /** The preset it was built from (custom rewards may leave it out). */
  readonly preset?: RewardPresetName | null;
  /** Rewards for a batch; the RM sees every item that needs it in one `score` call. */
  score(items: ReadonlyArray<RewardItem>): Promise<RewardBreakdown[]>;
  /** `score` plus the format reason and the scored answer per item. */
  scoreDetailed?(items: ReadonlyArray<RewardItem>): Promise<RewardResult[]>;
}

/**
 * The text a format check reads: the policy's raw text (given, else the one the generation loop
 * kept in `metadata.sourceText`), else the steps in the tag format. The steps are the codec's
 * repaired parse, so rendering them would pass text the model did not write well-formed.
 */
export function rewardTextOf(item: RewardItem): string {
  // Unchecked: the reward's entry point checked the trajectory already.
  return (
    item.text ??
    sourceTextOf(item.trajectory) ??
    uncheckedTextCodec('tags').render(item.trajectory.steps)
  );
}

function violationText(violations: ReadonlyArray<unknown>): string {
  return violations
    .map((v) =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as { message?: unknown }).message === 'string'
        ? (v as { message: string }).message
        : String(v),
    )
    .join('; ');
}

/** The paper's reward (ARCHITECTURE.md): what `createReward` does when told nothing else. */
export const paperRewardDefaults = {
  weights: { outcome: 1, trajectoryModel: 0.2, formatViolation: -1 } satisfies RewardWeights,
  clip: [-3, 3] as const,
  trajectoryModelWhen: 'positive-outcome' as const,
  floorAtOutcome: true,
};

function checkOptions(weights: RewardWeights, clip: readonly [number, number] | null): void {
  for (const [name, value] of Object.entries(weights)) {
    if (!Number.isFinite(value))
      throw new RlConfigError({
        option: `weights.${name}`,
        message: `must be a finite number, got ${value}`,
      });
  }
  if (
    clip !== null &&
    !(Number.isFinite(clip[0]) && Number.isFinite(clip[1]) && clip[0] < clip[1])
  ) {
    throw new RlConfigError({
      option: 'clip',
      message: `must be [low, high] with low < high, got [${clip.join(', ')}]`,
    });
  }
}

function checkCalibration(calibration: RmCalibration): void {
  if (
    !Number.isFinite(calibration.center) ||
    !Number.isFinite(calibration.scale) ||
    !(calibration.scale > 0)
  )
    throw new RlConfigError({
      option: 'trajectoryModelCalibration',
      message: `needs a finite center and a scale > 0, got center ${calibration.center}, scale ${calibration.scale}`,
    });
}

/**
 * A calibration fitted to RM scores of the rollouts the reward will see (e.g. the positive-outcome
 * rollouts of a first batch): center = median, scale = the median absolute deviation x 1.4826
 * (the standard deviation for normal scores; robust to outliers), 1 when the scores are all equal.
 */
export function fitRmCalibration(scores: ArrayLike<number>): RmCalibration {
  const xs = Array.from(scores).filter(Number.isFinite);
  if (xs.length === 0)
    throw new RlConfigError({
      option: 'trajectoryModelCalibration',
      message: 'cannot fit a calibration to no scores',
    });
  const median = (v: number[]) => {
    const sorted = [...v].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const center = median(xs);
  const mad = median(xs.map((x) => Math.abs(x - center))) * 1.4826;
  return { center, scale: mad > 0 ? mad : 1 };
}

/**
 * Composite reward: format + outcome + trajectory RM, with a per-component breakdown.
 *
 * Paper preset, per trajectory:
 * - format violation -> `formatViolation` (-1); the RM is not consulted;
 * - else `o = outcome`; when `o > 0`: `total = max(clip(o + 0.2 * rm, -3, 3), o)`;
 * - else (wrong answer) `total = o` (0).
 *
 * Components: `format` (1 ok / 0 violated), `formatViolations` (count), `outcome` (raw),
 * `trajectoryModel` (raw RM score, when consulted), `trajectoryModelCalibrated` (the score the
 * term used, when a calibration is set), `trajectoryModelBonus` (what the RM term actually added
 * after clipping and flooring).
 */
export function createReward(options: CreateRewardOptions): Reward {
  // Checked at run time too: JavaScript callers (and servers built from config) get the
  // error when the reward is created, not as a 500 on the first request.
  if (typeof options.outcome !== 'function') {
    throw new RlConfigError({
      option: 'outcome',
      message: 'must be a function, e.g. mathOutcome() or outcomeByDataSource()',
    });
  }
  const weights: RewardWeights = { ...paperRewardDefaults.weights, ...options.weights };
  const clip = options.clip === undefined ? paperRewardDefaults.clip : options.clip;
  checkOptions(weights, clip);
  const format = options.format ?? null;
  const scorer = options.trajectoryModel ?? null;
  const when = options.trajectoryModelWhen ?? paperRewardDefaults.trajectoryModelWhen;
  const floorAtOutcome = options.floorAtOutcome ?? paperRewardDefaults.floorAtOutcome;
  const calibration = options.trajectoryModelCalibration ?? null;
  if (calibration !== null) checkCalibration(calibration);
  const clamp = (x: number) => (clip === null ? x : Math.min(clip[1], Math.max(clip[0], x)));

  const answerOf =
    options.answer ??
    ((item: RewardItem) => {
      const answer = item.trajectory.finalAnswer;
      return answer === null || answer.trim() === '' ? null : answer;
    });
  const scoreDetailed = async (items: ReadonlyArray<RewardItem>): Promise<RewardResult[]> => {
    const partial = await Promise.all(
      items.map(async (item) => {
        const components: Record<string, number> = {};
        let formatOk = true;
        let formatReason: string | null = null;
        if (format !== null) {
          const result = format(rewardTextOf(item), item);
          formatOk = result.ok;
          if (!result.ok) formatReason = violationText(result.violations);
          components.format = result.ok ? 1 : 0;
          components.formatViolations = result.violations.length;
        }
        const outcome = await options.outcome(item);
        if (!Number.isFinite(outcome))
          throw new RlConfigError({
            option: 'outcome',
            message: `returned ${outcome} for trajectory ${item.trajectory.id}`,
          });
        components.outcome = outcome;
        const given = item.trajectoryModelScore;
        const hasRm = scorer !== null || given !== undefined;
        const needsRm = formatOk && hasRm && (when === 'always' || outcome > 0);
        return { item, components, formatOk, formatReason, outcome, needsRm };
      }),
    );
    // Scores given with the items (e.g. read from a file) are used as they are, as doubles.
    const rmItems = partial.filter((p) => p.needsRm && p.item.trajectoryModelScore === undefined);
    const rmScores =
      scorer === null
        ? new Float32Array(0)
        : await scoreChecked(
            scorer,
            rmItems.map((p) => ({
              question: p.item.question ?? p.item.trajectory.question,
              trajectory: p.item.trajectory,
            })),
          );
    let next = 0;
    return partial.map(({ item, components, formatOk, formatReason, outcome, needsRm }) => {
      const answer = answerOf(item);
      if (!formatOk) return { total: weights.formatViolation, components, formatReason, answer };
      const base = weights.outcome * outcome;
      let total = clamp(base);
      if (needsRm) {
        const rm = item.trajectoryModelScore ?? rmScores[next++]!;
        components.trajectoryModel = rm;
        let term = rm;
        if (calibration !== null) {
          term = (rm - calibration.center) / calibration.scale;
          components.trajectoryModelCalibrated = term;
        }
        total = clamp(base + weights.trajectoryModel * term);
        if (floorAtOutcome) total = Math.max(total, base);
        components.trajectoryModelBonus = total - clamp(base);
      }
      return { total, components, formatReason, answer };
    });
  };
  return {
    preset: options.preset ?? null,
    scoreDetailed,
    async score(items) {
      return (await scoreDetailed(items)).map(({ total, components }) => ({ total, components }));
    },
  };
}
