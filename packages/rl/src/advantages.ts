import { RUN_DEFAULTS } from '@autotraj/trajectory';
import { RlConfigError } from './errors.js';

/**
 * - `grpo`: (r_i - mean) / (std + epsilon) (DeepSeekMath GRPO);
 * - `dr-grpo`: r_i - mean, no std division (Dr. GRPO: the division biases towards easy/hard groups);
 * - `rloo`: r_i - mean of the other G - 1 rewards (leave-one-out, RLOO).
 */
export type AdvantageEstimator = 'grpo' | 'dr-grpo' | 'rloo';

export interface GroupAdvantageOptions {
  estimator?: AdvantageEstimator | undefined;
  /** Added to the std in `grpo` (default 1e-6, as verl). */
  epsilon?: number | undefined;
  /** `sample` (divide by G - 1, as verl's and TRL's torch.std) or `population` (by G). Default `sample`. */
  std?: 'sample' | 'population' | undefined;
}

function mean(values: ReadonlyArray<number>): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Standard deviation of a group (`sample`: n - 1 in the denominator). 0 for fewer than 2 values. */
export function groupStd(
  values: ReadonlyArray<number>,
  kind: 'sample' | 'population' = 'sample',
): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (kind === 'sample' ? values.length - 1 : values.length));
}

/**
 * Advantages of one group of rollouts of the same prompt, in input order. Deterministic (plain
 * left-to-right sums). A group of one has no baseline: its advantage is 0 under every estimator.
 */
export function groupAdvantages(
  rewards: ReadonlyArray<number>,
  options: GroupAdvantageOptions = {},
): number[] {
  const estimator = options.estimator ?? RUN_DEFAULTS.advantageEstimator;
  const epsilon = options.epsilon ?? 1e-6;
  if (!(epsilon >= 0))
    throw new RlConfigError({ option: 'epsilon', message: `must be >= 0, got ${epsilon}` });
  for (const [i, r] of rewards.entries()) {
    if (!Number.isFinite(r))
      throw new RlConfigError({ option: `rewards[${i}]`, message: `must be finite, got ${r}` });
  }
  const n = rewards.length;
  if (n === 0) return [];
  if (n === 1) return [0];
  const m = mean(rewards);
  switch (estimator) {
    case 'grpo': {
      const std = groupStd(rewards, options.std ?? 'sample');
      return rewards.map((r) => (r - m) / (std + epsilon));
    }
    case 'dr-grpo':
      return rewards.map((r) => r - m);
    case 'rloo': {
      // mean of the others = (sum - r_i) / (n - 1), so r_i - that = n / (n - 1) * (r_i - mean).
      const sum = m * n;
      return rewards.map((r) => r - (sum - r) / (n - 1));
    }
    default:
      throw new RlConfigError({
        option: 'estimator',
        message: `unknown estimator "${String(estimator)}"; expected grpo, dr-grpo or rloo`,
      });
  }
}

/** True when every reward in the group is the same (within `tolerance`): no learning signal. */
export function isZeroVarianceGroup(rewards: ReadonlyArray<number>, tolerance = 0): boolean {
  if (rewards.length === 0) return true;
  let lo = rewards[0]!;
  let hi = lo;
  for (const r of rewards) {
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  return hi - lo <= tolerance;
}

/**
 * Dynamic sampling (DAPO): keep only groups whose rewards differ, since a group where all
 * rollouts got the same reward has zero advantage everywhere and only dilutes the batch.
 */
export function filterZeroVarianceGroups<G>(
  groups: ReadonlyArray<G>,
  rewardsOf: (group: G) => ReadonlyArray<number>,
  options: { tolerance?: number } = {},
): { kept: G[]; dropped: G[] } {
  const kept: G[] = [];
  const dropped: G[] = [];
  for (const group of groups)
    (isZeroVarianceGroup(rewardsOf(group), options.tolerance ?? 0) ? dropped : kept).push(group);
  return { kept, dropped };
}
