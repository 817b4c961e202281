import { type RewardBreakdown, tagCodec } from '@autotraj/trajectory';
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

export interface CreateRewardOptions {
  /** Defaults to start from; `paper` (the only preset) is also the default. */
  preset?: 'paper';
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
  /** Never let the RM pull the total below the weighted outcome (paper: true). */
  floorAtOutcome?: boolean;
}

export interface Reward {
  /** Rewards for a batch; the RM sees every item that needs it in one `score` call. */
  score(items: ReadonlyArray<RewardItem>): Promise<RewardBreakdown[]>;
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

/**
 * Composite reward: format + outcome + trajectory RM, with a per-component breakdown.
 *
 * Paper preset, per trajectory:
 * - format violation -> `formatViolation` (-1); the RM is not consulted;
 * - else `o = outcome`; when `o > 0`: `total = max(clip(o + 0.2 * rm, -3, 3), o)`;
 * - else (wrong answer) `total = o` (0).
 *
 * Components: `format` (1 ok / 0 violated), `formatViolations` (count), `outcome` (raw),
 * `trajectoryModel` (raw RM score, when consulted), `trajectoryModelBonus` (what the RM term
 * actually added after clipping and flooring).
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
  const clamp = (x: number) => (clip === null ? x : Math.min(clip[1], Math.max(clip[0], x)));

  return {
    async score(items) {
      const partial = await Promise.all(
        items.map(async (item) => {
          const components: Record<string, number> = {};
          let formatOk = true;
          if (format !== null) {
            const result = format(item.text ?? tagCodec.render(item.trajectory.steps), item);
            formatOk = result.ok;
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
          const needsRm = formatOk && scorer !== null && (when === 'always' || outcome > 0);
          return { item, components, formatOk, outcome, needsRm };
        }),
      );
      const rmItems = partial.filter((p) => p.needsRm);
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
      return partial.map(({ components, formatOk, outcome, needsRm }) => {
        if (!formatOk) return { total: weights.formatViolation, components };
        const base = weights.outcome * outcome;
        let total = clamp(base);
        if (needsRm) {
          const rm = rmScores[next++]!;
          components.trajectoryModel = rm;
          total = clamp(base + weights.trajectoryModel * rm);
          if (floorAtOutcome) total = Math.max(total, base);
          components.trajectoryModelBonus = total - clamp(base);
        }
        return { total, components };
      });
    },
  };
}
