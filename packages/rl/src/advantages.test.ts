import { describe, expect, it } from 'vitest';
import {
  filterZeroVarianceGroups,
  groupAdvantages,
  groupStd,
  isZeroVarianceGroup,
} from './advantages.js';
import { RlConfigError } from './errors.js';

describe('groupAdvantages', () => {
  // Group [1, 0, 0, 1]: mean 0.5; sample std = sqrt((4 * 0.25) / 3) = sqrt(1/3) = 0.5773502691896258.
  const group = [1, 0, 0, 1];

  it('GRPO divides by the sample std plus epsilon', () => {
    const std = Math.sqrt(1 / 3);
    const adv = groupAdvantages(group, { estimator: 'grpo', epsilon: 1e-6 });
    expect(adv[0]).toBeCloseTo(0.5 / (std + 1e-6), 12);
    expect(adv[1]).toBeCloseTo(-0.5 / (std + 1e-6), 12);
    expect(adv[0]).toBeCloseTo(0.8660239, 6);
  });

  it('GRPO with the population std', () => {
    // population std of [1, 0, 0, 1] = 0.5 -> advantages +-1 (minus epsilon effect).
    const adv = groupAdvantages(group, { std: 'population', epsilon: 0 });
    expect(adv).toEqual([1, -1, -1, 1]);
  });

  it('Dr. GRPO only subtracts the mean', () => {
    expect(
      groupAdvantages([1.2, 0, -1, 0.2], { estimator: 'dr-grpo' }).map((a) =>
        Number(a.toFixed(12)),
      ),
    ).toEqual([1.1, -0.1, -1.1, 0.1]);
  });

  it('RLOO subtracts the mean of the other rollouts', () => {
    // r = [3, 1, 2]: others' means are 1.5, 2.5, 2 -> 1.5, -1.5, 0.
    expect(groupAdvantages([3, 1, 2], { estimator: 'rloo' })).toEqual([1.5, -1.5, 0]);
    // paper rewards with a format violation: [1.4, -1, 0, 1]; mean of others for item 0 = 0/3.
    const adv = groupAdvantages([1.4, -1, 0, 1], { estimator: 'rloo' });
    expect(adv[0]).toBeCloseTo(1.4, 12);
    expect(adv[1]).toBeCloseTo(-1 - 2.4 / 3, 12);
  });

  it('a zero-variance group gets zero advantages, a single rollout gets 0', () => {
    expect(groupAdvantages([1, 1, 1, 1])).toEqual([0, 0, 0, 0]);
    expect(groupAdvantages([0.7])).toEqual([0]);
    expect(groupAdvantages([0.7], { estimator: 'rloo' })).toEqual([0]);
    expect(groupAdvantages([])).toEqual([]);
  });

  it('is deterministic and order-equivariant', () => {
    const r = [0.3, 1.7, -1, 2.9, 0.05, 0.05];
    const a = groupAdvantages(r);
    expect(groupAdvantages(r)).toEqual(a);
    const reversed = groupAdvantages([...r].reverse());
    for (const [i, x] of reversed.reverse().entries()) expect(x).toBeCloseTo(a[i]!, 12);
    // GRPO advantages have zero mean and (sample) std ~1.
    expect(a.reduce((s, x) => s + x, 0)).toBeCloseTo(0, 12);
    expect(groupStd(a)).toBeCloseTo(1, 5);
  });

  it('rejects non-finite rewards and unknown estimators with a typed error', () => {
    expect(() => groupAdvantages([1, Number.NaN])).toThrow(RlConfigError);
    expect(() => groupAdvantages([1, 0], { estimator: 'ppo' as never })).toThrow(
      /unknown estimator/,
    );
  });
});

describe('dynamic sampling filter', () => {
  it('drops groups whose rewards are all equal', () => {
    const groups = [
      { id: 'a', rewards: [1, 1, 1, 1] },
      { id: 'b', rewards: [1, 0, 1, 1] },
      { id: 'c', rewards: [-1, -1, -1, -1] },
      { id: 'd', rewards: [0.5, 0.5 + 1e-9, 0.5, 0.5] },
    ];
    const { kept, dropped } = filterZeroVarianceGroups(groups, (g) => g.rewards);
    expect(kept.map((g) => g.id)).toEqual(['b', 'd']);
    expect(dropped.map((g) => g.id)).toEqual(['a', 'c']);
    expect(
      filterZeroVarianceGroups(groups, (g) => g.rewards, { tolerance: 1e-6 }).kept.map((g) => g.id),
    ).toEqual(['b']);
    expect(isZeroVarianceGroup([])).toBe(true);
  });
});
